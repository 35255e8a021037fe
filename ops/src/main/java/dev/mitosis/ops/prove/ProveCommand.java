package dev.mitosis.ops.prove;

import dev.mitosis.connectors.events.ChangeEventReader;
import dev.mitosis.connectors.kafka.KafkaClients;
import dev.mitosis.connectors.mariadb.ServerConnector;
import dev.mitosis.connectors.time.Sleeper;
import dev.mitosis.connectors.topology.MitosisConfig;
import dev.mitosis.connectors.topology.MitosisConfigLoader;
import dev.mitosis.connectors.topology.Server;
import dev.mitosis.ops.cli.ExitCodes;
import dev.mitosis.ops.cli.JsonOut;
import dev.mitosis.ops.cli.OperatorException;
import dev.mitosis.ops.cli.Progress;
import dev.mitosis.ops.purge.ArchiveReadOptions;
import dev.mitosis.purger.CaptureStatusFollower;
import dev.mitosis.purger.PurgeTarget;
import dev.mitosis.purger.archive.ChangeArchive;
import dev.mitosis.purger.proof.ProofReport;
import dev.mitosis.purger.proof.PurgeProof;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * {@code mitosis prove}: the post-purge ownership proof of one new shard, from the server's rows and the change
 * archive capture keeps in Kafka.
 */
@Command(name = "prove",
        mixinStandardHelpOptions = true,
        description = "Prove the purge of new shard S: no row of the purged residue remains (exact counts); the"
                + " archive of the server's changes shows every purge-tagged change was a delete of a row of that"
                + " residue, so no owned row was touched; and it holds as many purge-tagged deletes as the purger"
                + " recorded. Misplaced rows and NULL shard keys are reported, not a failure.",
        footer = {"", "Exit codes: 0 proven, 1 disproven, 2 usage, 3 cannot tell (capture behind, archive"
                + " incomplete, broker unreachable).",
            "", "Example:", "  mitosis prove --config sandbox/mitosis.yaml --shard 2"})
public final class ProveCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--config", required = true, paramLabel = "C", description = "the mitosis.yaml of the fleet")
    Path config;

    @Option(names = "--shard", required = true, paramLabel = "S", description = "the new shard to prove, 0..2n-1")
    int shard;

    @CommandLine.Mixin
    ArchiveReadOptions archive = new ArchiveReadOptions();

    @Override
    public Integer call() throws SQLException, InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        Progress progress = new Progress(spec.commandLine().getErr(), "prove");
        MitosisConfig loaded = MitosisConfigLoader.withSystemEnvironment().load(config);
        int newShards = loaded.topology().newShards();
        if (shard < 0 || shard >= newShards) {
            throw OperatorException.usage("--shard " + shard + " is out of range: the split has " + newShards
                    + " new shards, expected an integer in [0, " + (newShards - 1) + "]");
        }
        Duration captureWait = archive.captureWait();
        Duration kafkaTimeout = archive.kafkaTimeout();
        Server server = loaded.topology().serverOfNewShard(shard);
        PurgeTarget target = new PurgeTarget(loaded.topology().shardMap(), shard, server.name(),
                new ServerConnector(server)::open);
        KafkaClients kafka = new KafkaClients(loaded.kafka());
        ProofReport report;
        try (CaptureStatusFollower capture = new CaptureStatusFollower(kafka, server.name(), kafkaTimeout)) {
            PurgeProof proof = new PurgeProof(target, loaded.schemas(), loaded::tableRule,
                    new ChangeArchive(kafka, ChangeEventReader.forConfig(loaded), kafkaTimeout), capture,
                    captureWait, Clock.systemUTC(), Sleeper.SYSTEM,
                    line -> progress.say("%s", line));
            try {
                report = proof.prove();
            } catch (SQLException e) {
                // Without the server's rows nothing can be proven or disproven.
                progress.say("CANNOT TELL: %s unreachable: %s", server.name(), e.getMessage());
                JsonOut.print(out, ProofSummary.unreachable(shard, server.name(), e.getMessage()));
                return ExitCodes.INCONCLUSIVE;
            }
        }
        progress.say("shard %d on %s: %s", shard, server.name(), report.verdict());
        JsonOut.print(out, ProofSummary.of(report));
        return switch (report.verdict()) {
            case PROVEN -> ExitCodes.OK;
            case DISPROVEN -> ExitCodes.FAILED;
            case CANNOT_TELL -> ExitCodes.INCONCLUSIVE;
        };
    }
}
