package dev.mitosis.ops.verify;

import dev.mitosis.connectors.time.Sleeper;

import dev.mitosis.connectors.topology.MitosisConfig;
import dev.mitosis.connectors.topology.Pair;
import dev.mitosis.ops.cli.ExitCodes;
import dev.mitosis.ops.cli.JsonOut;
import dev.mitosis.ops.cli.OperatorException;
import dev.mitosis.ops.cli.Progress;
import dev.mitosis.connectors.kafka.KafkaClients;
import dev.mitosis.verifier.ChangedRows;
import dev.mitosis.verifier.ContinuousVerifier;
import dev.mitosis.verifier.DiffFile;
import dev.mitosis.verifier.KafkaChangedRows;
import dev.mitosis.verifier.PairReport;
import dev.mitosis.verifier.PairVerifier;
import dev.mitosis.verifier.ReportFiles;
import dev.mitosis.verifier.TableReport;
import dev.mitosis.verifier.Verdict;
import dev.mitosis.verifier.VerdictStore;
import dev.mitosis.verifier.VerifySettings;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code mitosis verify}: proves a pair's two servers hold the same rows, and stores the verdict for the gate. */
@Command(name = "verify",
        mixinStandardHelpOptions = true,
        description = {
            "Compare A and A0 of one pair chunk by chunk (COUNT and a 128-bit row digest computed in both servers at"
                + " once), re-check differences after each server applied the other's GTIDs (only the rows capture's"
                + " change topics show changing, while capture runs), narrow what stays different to rows, and store"
                + " the verdict (PASS / FAIL / UNKNOWN) for `mitosis gate`.",
            "Writes report.json, report.txt and report.html to the report dir; keeps checkpoint.json there while it"
                + " runs, so a killed run resumes from its last finished chunk. Never writes to a user table.",
            "Without --once it verifies continuously until stopped: a full pass every --interval and, while capture"
                + " runs, a refresh of a PASS every --refresh-interval that re-reads only the rows the change stream"
                + " shows changed, so the stored verdict stays seconds old; a difference a refresh finds turns it FAIL"
                + " at once. Every verdict is stored with the time and GTID positions it holds for; one JSON line is"
                + " printed per full pass and per change of verdict. SIGTERM exits 143 after the chunk under way is"
                + " checkpointed; an interrupt 130.",
        },
        subcommands = RepairSqlCommand.class,
        footer = {"", "Exit codes: 0 PASS, 1 FAIL, 2 usage or config error, 3 UNKNOWN; without --once 143 on SIGTERM,"
            + " 130 on interrupt.", "",
            "Example:", "  mitosis verify --config sandbox/mitosis.yaml --pair 0 --once --report-dir reports/p0"})
public final class VerifyCommand implements Callable<Integer> {

    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(10);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    // Checked in call(), not by picocli: `verify repair-sql` needs neither.
    @Option(names = "--config", paramLabel = "C", description = "mitosis.yaml (required)")
    Path config;

    @Option(names = "--pair", paramLabel = "P", description = "the pair (old shard) to verify (required)")
    Integer pair;

    @Option(names = "--table", paramLabel = "db.t", description = "verify only these tables (repeatable); default:"
            + " every base table of the configured schemas")
    List<String> tables = new ArrayList<>();

    @Option(names = "--once", description = "one pass, then exit with the verdict")
    boolean once;

    @Option(names = "--report-dir", paramLabel = "R", description = "report files and checkpoint (default:"
            + " mitosis-reports/pair-P)")
    Path reportDir;

    @Option(names = "--diff-file", paramLabel = "F", description = "every differing row as JSON lines (not only"
            + " the 10 samples per table of the report)")
    Path diffFile;

    @Option(names = "--store", defaultValue = "kafka", paramLabel = "kafka|files", description = "where the verdict"
            + " is stored for the gate: the compacted Kafka topic <prefix>.verdicts, or only the report dir"
            + " (default: ${DEFAULT-VALUE})")
    VerdictStores.Kind store;

    @Option(names = "--interval", defaultValue = "10m", paramLabel = "D", description = "without --once: time from"
            + " the start of one full pass to the start of the next, e.g. 30s, 10m (default: ${DEFAULT-VALUE})")
    String interval;

    @Option(names = "--refresh-interval", defaultValue = "200ms", paramLabel = "D", description = "without --once,"
            + " while capture runs: pause between refreshes of a PASS from the change stream (default:"
            + " ${DEFAULT-VALUE})")
    String refreshInterval;

    @Override
    public Integer call() throws Exception {
        if (config == null || pair == null) {
            throw OperatorException.usage("verify needs --config C and --pair P (see mitosis verify --help)");
        }
        for (String table : tables) {
            if (!table.matches("[^.\\s]+\\.[^.\\s]+")) {
                throw OperatorException.usage("--table " + table + " is not a table name, expected schema.table");
            }
        }
        Duration pause = Durations.parse("--interval", interval);
        Duration refresh = Durations.parse("--refresh-interval", refreshInterval);
        MitosisConfig cfg = VerdictStores.load(config);
        Pair target = VerdictStores.pair(cfg, pair);
        Path dir = VerdictStores.reportDir(reportDir, pair);
        Progress progress = new Progress(spec.commandLine().getErr(), "mitosis verify");
        if (once) {
            return exitCode(pass(cfg, target, dir, progress).verdict());
        }
        return continuous(cfg, target, dir, progress, new ContinuousVerifier.Schedule(pause, refresh,
                ContinuousVerifier.Schedule.defaults().republishAfter()));
    }

    /**
     * Full passes and, while capture runs, refreshes from the change stream, until SIGTERM/SIGINT (the JVM then
     * exits 143/130 once the chunk under way is checkpointed) or an interrupt (130).
     */
    private int continuous(MitosisConfig cfg, Pair target, Path dir, Progress progress,
                           ContinuousVerifier.Schedule schedule) throws InterruptedException {
        VerifySettings settings = VerifySettings.from(cfg);
        DiffFile diffs = diffFile == null ? null : DiffFile.open(diffFile, Files.exists(dir.resolve("checkpoint.json")));
        Verdict[] last = new Verdict[1];
        try (ChangedRows changes = new KafkaChangedRows(target, new KafkaClients(cfg.kafka()), settings.recheckWait(),
                KAFKA_TIMEOUT, Clock.systemUTC());
             VerdictStore verdicts = VerdictStores.open(store, cfg, dir)) {
            ContinuousVerifier verifier = new ContinuousVerifier(target, cfg.schemas(), settings, changes, schedule,
                    new PairVerifier.Request(tables, Optional.of(dir), new VerifyProgress(progress),
                            diffs == null ? d -> { } : diffs), report -> {
                        ReportFiles.write(dir, report);
                        String stored = store(verdicts, cfg, dir, report, progress);
                        // One line per full pass and per change of verdict; a refresh that only moves the
                        // positions is stored, not printed.
                        boolean refresh = report.notes().stream().anyMatch(n -> n.startsWith("refreshed from"));
                        if (!refresh || report.verdict() != last[0]) {
                            progress.say("pair %d: %s (%s)", pair, report.verdict(), dir.resolve(ReportFiles.TEXT));
                            JsonOut.print(spec.commandLine().getOut(), summary(report, dir, stored));
                        }
                        last[0] = report.verdict();
                    }, Clock.systemUTC(), Sleeper.SYSTEM);
            Thread hook = new Thread(() -> {
                verifier.stop();
                try {
                    verifier.awaitEnd(STOP_TIMEOUT);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "mitosis-verify-stop");
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                progress.say("pair %d: %s ⇄ %s, continuous (full pass every %d s; stop with Ctrl-C or SIGTERM)", pair,
                        target.a().name(), target.a0().name(), schedule.fullPassInterval().toSeconds());
                verifier.run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                verifier.stop();
                removeHook(hook);
            }
            return ExitCodes.INTERRUPTED;
        } finally {
            if (diffs != null) {
                diffs.close();
            }
        }
    }

    private PairReport pass(MitosisConfig cfg, Pair target, Path dir, Progress progress) throws InterruptedException {
        boolean resuming = Files.exists(dir.resolve("checkpoint.json"));
        VerifySettings settings = VerifySettings.from(cfg);
        PairVerifier verifier = new PairVerifier(target, cfg.schemas(), settings, Clock.systemUTC(), Sleeper.SYSTEM);
        // On SIGTERM/SIGINT: finish the chunk under way and keep the checkpoint, so the next run resumes there.
        Thread hook = new Thread(() -> {
            verifier.stop();
            try {
                verifier.awaitEnd(STOP_TIMEOUT);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "mitosis-verify-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        PairReport report;
        DiffFile diffs = diffFile == null ? null : DiffFile.open(diffFile, resuming);
        // Capture's change topics narrow re-checks to the rows that changed; without capture the report says so.
        ChangedRows changes = new KafkaChangedRows(target, new KafkaClients(cfg.kafka()), settings.recheckWait(),
                KAFKA_TIMEOUT, Clock.systemUTC());
        try {
            progress.say("pair %d: %s ⇄ %s%s", pair, target.a().name(), target.a0().name(),
                    resuming ? " (resuming from " + dir.resolve("checkpoint.json") + ")" : "");
            report = verifier.verify(new PairVerifier.Request(tables, Optional.of(dir), new VerifyProgress(progress),
                    diffs == null ? d -> { } : diffs, changes));
        } finally {
            changes.close();
            if (diffs != null) {
                diffs.close();
            }
            removeHook(hook);
        }
        if (verifier.stopRequested()) {
            // Not a verdict on the whole scope: the stored one stays, and the checkpoint lets the next run resume.
            progress.say("pair %d: interrupted after a checkpoint; run the same command to resume", pair);
            return report;
        }
        ReportFiles.write(dir, report);
        String stored = store(cfg, dir, report, progress);
        progress.say("pair %d: %s (%s)", pair, report.verdict(), dir.resolve(ReportFiles.TEXT));
        JsonOut.print(spec.commandLine().getOut(), summary(report, dir, stored));
        return report;
    }

    private String store(MitosisConfig cfg, Path dir, PairReport report, Progress progress) {
        try (VerdictStore verdicts = VerdictStores.open(store, cfg, dir)) {
            return store(verdicts, cfg, dir, report, progress);
        }
    }

    private String store(VerdictStore verdicts, MitosisConfig cfg, Path dir, PairReport report, Progress progress) {
        try {
            verdicts.publish(report);
            return store == VerdictStores.Kind.kafka ? "kafka:" + cfg.kafka().topicPrefix() + ".verdicts" : "files:" + dir;
        } catch (RuntimeException e) {
            // The report files are written; the gate reading Kafka will say UNKNOWN, which is the safe side.
            progress.say("WARNING: the verdict was not stored: %s", e.getMessage());
            return "not stored: " + e.getMessage();
        }
    }

    private void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // The JVM is shutting down and the hook runs: nothing to remove.
        }
    }

    static int exitCode(Verdict verdict) {
        return switch (verdict) {
            case PASS -> ExitCodes.OK;
            case FAIL -> ExitCodes.FAILED;
            case UNKNOWN -> ExitCodes.INCONCLUSIVE;
        };
    }

    private Map<String, Object> summary(PairReport r, Path dir, String stored) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("pair", r.pair());
        s.put("verdict", r.verdict());
        s.put("reasons", r.reasons());
        s.put("gtidA", r.gtidA());
        s.put("gtidA0", r.gtidA0());
        s.put("finishedAt", r.finishedAt());
        s.put("durationMs", r.durationMs());
        s.put("resumed", r.resumed());
        s.put("coverage", r.totals());
        List<Map<String, Object>> tables = new ArrayList<>();
        for (TableReport t : r.tables()) {
            Map<String, Object> table = new LinkedHashMap<>();
            table.put("table", t.table());
            table.put("verdict", t.verdict());
            table.put("coverage", t.coverage());
            table.put("differences", t.differences());
            table.put("reasons", t.reasons());
            tables.add(table);
        }
        s.put("tables", tables);
        s.put("reportDir", dir.toAbsolutePath().toString());
        if (diffFile != null) {
            s.put("diffFile", diffFile.toAbsolutePath().toString());
        }
        s.put("stored", stored);
        return s;
    }
}
