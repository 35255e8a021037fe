package dev.mitosis.ops.purge;

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
import dev.mitosis.purger.CaptureStatusFollower;
import dev.mitosis.purger.PurgeTarget;
import dev.mitosis.purger.archive.ChangeArchive;
import dev.mitosis.purger.undo.PurgeUndo;
import dev.mitosis.purger.undo.UndoListener;
import dev.mitosis.purger.undo.UndoReport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code mitosis purge undo}: re-inserts the rows a purge deleted from one table, from the before-images in the
 * change archive, never over a row written since.
 */
@Command(name = "undo",
        mixinStandardHelpOptions = true,
        description = "Re-insert the rows the purge of new shard S deleted from table db.t, from the before-images"
                + " capture archived in Kafka (purge-tagged deletes of this server, de-duplicated). A row whose primary"
                + " key exists now is skipped, never overwritten; a row colliding on another unique key is reported."
                + " Chunks in short transactions, tagged mitosis-undo, written to the binlog so the HA partner gets"
                + " them. Refuses unless capture covers the server's position and the archive holds every delete the"
                + " purger recorded.",
        footer = {"", "Exit codes: 0 done, 1 refused (archive may be incomplete) or failed, 2 usage.",
            "", "Example:", "  mitosis purge undo --config sandbox/mitosis.yaml --shard 2 --table app.t"})
public final class PurgeUndoCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--config", required = true, paramLabel = "C", description = "the mitosis.yaml of the fleet")
    Path config;

    @Option(names = "--shard", required = true, paramLabel = "S", description = "the new shard whose purge to undo")
    int shard;

    @Option(names = "--table", required = true, paramLabel = "db.t", description = "the table to restore")
    String table;

    @Option(names = "--allow-incomplete",
            description = "restore what the archive holds even if capture is behind or it lacks deletes")
    boolean allowIncomplete;

    @Option(names = "--chunk-rows", paramLabel = "N", defaultValue = "500",
            description = "rows per transaction (default: ${DEFAULT-VALUE})")
    int chunkRows;

    @CommandLine.Mixin
    ArchiveReadOptions archive = new ArchiveReadOptions();

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Progress progress = new Progress(spec.commandLine().getErr(), "purge undo");
        MitosisConfig loaded = MitosisConfigLoader.withSystemEnvironment().load(config);
        int newShards = loaded.topology().newShards();
        if (shard < 0 || shard >= newShards) {
            throw OperatorException.usage("--shard " + shard + " is out of range: the split has " + newShards
                    + " new shards, expected an integer in [0, " + (newShards - 1) + "]");
        }
        String[] parts = table.split("\\.", -1);
        if (parts.length != 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
            throw OperatorException.usage("--table " + table + " is not schema.table");
        }
        if (chunkRows < 1) {
            throw OperatorException.usage("--chunk-rows " + chunkRows + ": expected >= 1");
        }
        Duration captureWait = archive.captureWait();
        Duration kafkaTimeout = archive.kafkaTimeout();
        Server server = loaded.topology().serverOfNewShard(shard);
        PurgeTarget target = new PurgeTarget(loaded.topology().shardMap(), shard, server.name(),
                new ServerConnector(server)::open);
        KafkaClients kafka = new KafkaClients(loaded.kafka());
        UndoReport report;
        try (CaptureStatusFollower capture = new CaptureStatusFollower(kafka, server.name(), kafkaTimeout)) {
            PurgeUndo undo = new PurgeUndo(target, parts[0], parts[1],
                    new ChangeArchive(kafka, ChangeEventReader.forConfig(loaded), kafkaTimeout), capture,
                    captureWait, Clock.systemUTC(), Sleeper.SYSTEM, allowIncomplete,
                    chunkRows, new UndoListener() {
                        @Override
                        public void said(String line) {
                            progress.say("%s", line);
                        }

                        @Override
                        public void chunk(long deletesRead, long restored, long skipped) {
                            progress.say("%s: %d purge deletes read, %d restored, %d skipped", table, deletesRead,
                                    restored, skipped);
                        }
                    });
            try {
                report = undo.run();
            } catch (IllegalArgumentException e) {
                throw OperatorException.failed(e.getMessage());
            } catch (ChangeArchive.ArchiveUnreadableException e) {
                throw OperatorException.failed("the archive cannot be read: " + e.getMessage());
            } catch (java.sql.SQLException e) {
                throw OperatorException.failed("purge undo on " + server.name() + " failed: " + e.getMessage()
                        + " (rows restored so far stay; a re-run skips them)");
            }
        }
        report.refusal().ifPresentOrElse(r -> progress.say("REFUSED: %s", r),
                () -> progress.say("%s on %s: %d restored, %d skipped (row exists), %d conflicts", table, server.name(),
                        report.restored(), report.skippedExisting(), report.conflicts()));
        JsonOut.print(out, summary(report));
        return report.refusal().isPresent() ? ExitCodes.FAILED : ExitCodes.OK;
    }

    private static Map<String, Object> summary(UndoReport report) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("command", "purge undo");
        s.put("shard", report.newShard());
        s.put("server", report.server());
        s.put("table", report.table());
        s.put("outcome", report.refusal().isPresent() ? "REFUSED" : "DONE");
        s.put("reason", report.refusal().orElse(null));
        s.put("archiveTopic", report.archiveTopic());
        s.put("serverGtid", report.serverGtid());
        s.put("captureCovers", report.captureGap().isEmpty());
        s.put("captureGap", report.captureGap().orElse(null));
        s.put("reportedDeleted", report.reportedDeleted());
        s.put("taggedDeletes", report.taggedDeletes());
        s.put("restored", report.restored());
        s.put("skippedExisting", report.skippedExisting());
        s.put("conflicts", report.conflicts());
        s.put("conflictSamples", report.conflictSamples());
        return s;
    }
}
