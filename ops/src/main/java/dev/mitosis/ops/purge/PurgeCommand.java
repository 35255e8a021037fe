package dev.mitosis.ops.purge;

import dev.mitosis.connectors.config.ConfigException;
import dev.mitosis.connectors.config.ConfigProblem;
import dev.mitosis.connectors.kafka.KafkaClients;
import dev.mitosis.connectors.mariadb.ServerConnector;
import dev.mitosis.connectors.routing.RoutingStore;
import dev.mitosis.connectors.topology.MitosisConfig;
import dev.mitosis.connectors.topology.MitosisConfigLoader;
import dev.mitosis.connectors.topology.Server;
import dev.mitosis.ops.cli.ExitCodes;
import dev.mitosis.ops.cli.JsonOut;
import dev.mitosis.ops.cli.Progress;
import dev.mitosis.purger.CaptureStatusFollower;
import dev.mitosis.purger.InterlockResult;
import dev.mitosis.purger.PurgePlan;
import dev.mitosis.purger.PurgeReport;
import dev.mitosis.purger.PurgeSettings;
import dev.mitosis.purger.PurgeTarget;
import dev.mitosis.purger.Purger;
import dev.mitosis.purger.ReplicaEndpoint;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code mitosis purge}: deletes, on the server of one new shard, every row of the residue its sibling keeps,
 * behind the interlocks, throttled, resumable. {@code --dry-run} prints the plan with exact counts and the state
 * of every interlock, and deletes nothing.
 */
@Command(name = "purge",
        mixinStandardHelpOptions = true,
        subcommands = PurgeUndoCommand.class,
        description = "Delete what new shard S no longer owns (the residue its sibling keeps), chunk by chunk,"
                + " throttled by replica lag, load and capture lag, checkpointed per chunk, behind the interlocks (flip recorded,"
                + " replication cut, no misrouted writes, capture caught up, last verdict PASS). Misplaced rows and"
                + " NULL shard keys are reported, never deleted; broadcast tables are never touched.",
        footer = {"", "Shard S: 0..n-1 is server A of pair S; n..2n-1 is server A0 of pair S-n.",
            "The summary's `archived` is true only when capture was seen to archive the last delete.",
            "Exit codes: 0 done, 1 refused or aborted, 2 usage, 130/143 interrupted after a checkpoint.",
            "", "Examples:", "  mitosis purge --config sandbox/mitosis.yaml --shard 2 --dry-run",
            "  mitosis purge --config sandbox/mitosis.yaml --shard 2 --table app.accounts --max-rows-per-second 5000"})
public final class PurgeCommand implements Callable<Integer> {

    /** An interlock check answers quickly: a broker that does not answer in this time refuses the purge. */
    private static final java.time.Duration INTERLOCK_READ_TIMEOUT = java.time.Duration.ofSeconds(3);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    // Not picocli-required: `purge undo` would then need them before its own name; checked in call().
    @Option(names = "--config", paramLabel = "C", description = "the mitosis.yaml of the fleet (required)")
    Path config;

    @Option(names = "--shard", paramLabel = "S", description = "the new shard to purge, 0..2n-1 (required)")
    Integer shard;

    @Option(names = "--table", paramLabel = "db.t", description = "limit the purge to these tables (repeatable)")
    List<String> tables = new ArrayList<>();

    @Option(names = "--dry-run", description = "print the plan with exact counts; delete nothing")
    boolean dryRun;

    @Option(names = "--max-rows-per-second", paramLabel = "N",
            description = "the rows/s cap instead of purge.max.rows.per.second (0 = none)")
    Long maxRowsPerSecond;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Progress progress = new Progress(err, "purge");
        if (config == null || shard == null) {
            return usage(err, "missing required option(s): --config and --shard (see mitosis purge --help)");
        }
        MitosisConfig loaded;
        try {
            loaded = MitosisConfigLoader.withSystemEnvironment().load(config);
        } catch (ConfigException e) {
            err.println("mitosis: config " + e.source() + " has " + e.problems().size() + " problem(s):");
            for (ConfigProblem problem : e.problems()) {
                err.println("  " + problem);
            }
            return ExitCodes.USAGE;
        }
        int newShards = loaded.topology().newShards();
        if (shard < 0 || shard >= newShards) {
            return usage(err, "--shard " + shard + " is out of range: the split has " + newShards
                    + " new shards, expected an integer in [0, " + (newShards - 1) + "]");
        }
        if (maxRowsPerSecond != null && maxRowsPerSecond < 0) {
            return usage(err, "--max-rows-per-second " + maxRowsPerSecond + " is out of range, expected >= 0");
        }
        PurgeSettings settings;
        try {
            settings = PurgeSettings.from(loaded, config.toAbsolutePath().getParent());
        } catch (IllegalArgumentException e) {
            return usage(err, "config " + config + ": " + e.getMessage());
        }
        if (maxRowsPerSecond != null) {
            settings = settings.withMaxRowsPerSecond(maxRowsPerSecond);
        }
        Server server = loaded.topology().serverOfNewShard(shard);
        ServerConnector connector = new ServerConnector(server);
        PurgeProgressPrinter printer = new PurgeProgressPrinter(progress);
        PurgeTarget target = new PurgeTarget(loaded.topology().shardMap(), shard, server.name(), connector::open);
        KafkaClients kafka = new KafkaClients(loaded.kafka());
        try (CaptureStatusFollower capture = new CaptureStatusFollower(kafka, server.name(), INTERLOCK_READ_TIMEOUT)) {
            Purger.Builder builder = Purger.builder(target)
                    .settings(settings)
                    .tables(loaded.schemas(), loaded::tableRule)
                    .only(tables)
                    .interlocks(PurgeInterlocks.forPair(loaded, loaded.topology().pair(server.pair()), target,
                            settings, new RoutingStore(kafka, INTERLOCK_READ_TIMEOUT), capture, Clock.systemUTC()))
                    .capture(capture)
                    .listener(printer);
            return dryRun ? dryRun(builder.build(), server, out, progress, printer) : run(builder, loaded, server,
                    out, progress);
        } catch (IllegalArgumentException e) {
            return usage(err, e.getMessage());
        } catch (SQLException e) {
            err.println("mitosis: purge failed on " + server.name() + ": " + e.getMessage());
            return ExitCodes.FAILED;
        }
    }

    private int dryRun(Purger purger, Server server, PrintWriter out, Progress progress,
                       PurgeProgressPrinter printer) throws SQLException {
        List<InterlockResult> interlocks = purger.checkInterlocks();
        interlocks.forEach(r -> progress.say("interlock %s", r));
        PurgePlan plan = purger.plan(true);
        printer.planned(plan);
        plan.tables().forEach(t -> t.counts().ifPresent(c -> progress.say("  %s: purge %d, keep %d, misplaced %d"
                + " (kept), NULL key %d (kept)", t.qualifiedName(), c.purge(), c.keep(), c.misplaced(), c.nullKey())));
        JsonOut.print(out, PurgeSummary.dryRun(shard, plan, interlocks));
        return ExitCodes.OK;
    }

    private int run(Purger.Builder builder, MitosisConfig loaded, Server server, PrintWriter out, Progress progress)
            throws SQLException {
        // Interlocks first: a refusal names them all, even when the server cannot be reached for anything else.
        List<InterlockResult> checked = builder.build().checkInterlocks();
        if (checked.stream().anyMatch(r -> !r.holds())) {
            checked.forEach(r -> progress.say("interlock %s", r));
            progress.say("REFUSED: nothing deleted");
            JsonOut.print(out, PurgeSummary.refused(shard, server.name(), checked));
            return ExitCodes.FAILED;
        }
        List<ReplicaEndpoint> replicas = PurgeReplicas.of(loaded, server);
        replicas.forEach(r -> progress.say("watching replica %s", r.name()));
        Purger purger = builder.replicas(replicas).build();
        PurgeReport report;
        int signalCode;
        try (SignalStop signals = new SignalStop(purger::stop)) {
            report = purger.run();
            signalCode = signals.exitCode();
        }
        progress.say("%s: %s", report.outcome(), report.reason());
        progress.say("archived: %s (%s)", report.archive().archived(), report.archive().reason());
        JsonOut.print(out, PurgeSummary.run(shard, server.name(), report));
        return switch (report.outcome()) {
            case DONE -> ExitCodes.OK;
            case INTERRUPTED -> signalCode != 0 ? signalCode : ExitCodes.TERMINATED;
            case REFUSED, ABORTED, FAILED -> ExitCodes.FAILED;
        };
    }

    private static int usage(PrintWriter err, String message) {
        err.println("mitosis: " + message);
        err.flush();
        return ExitCodes.USAGE;
    }
}
