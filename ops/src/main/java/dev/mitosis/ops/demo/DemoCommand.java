package dev.mitosis.ops.demo;

import dev.mitosis.connectors.topology.Pair;
import dev.mitosis.ops.cli.ExitCodes;
import dev.mitosis.ops.cli.JsonOut;
import dev.mitosis.ops.cli.OperatorException;
import dev.mitosis.ops.cli.Progress;
import dev.mitosis.ops.sandbox.SampleData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mitosis demo}: the whole split under live load on a fresh sandbox, proven, with a table and a report. */
@Command(name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "The whole split on a fresh sandbox of N pairs (default 2) under live load, through the same commands an"
                + " operator runs: sandbox up, the first routing epoch, capture, a load generator acting as the service"
                + " (a ShardRouter client reading and writing by uid), verify until PASS, flip to 2N (the load"
                + " switches without stopping), pair cut, a new HA partner for every new shard, purge of every new"
                + " shard, prove.",
            "Prints each step with its timing, then a table: rows per shard before and after, writes during the"
                + " split, load-generator errors and rows lost (computed from every acknowledged write). Writes"
                + " D/demo-report.html. Stops every process it started at the end, unless --keep.",
        },
        footer = {"", "Exit codes: 0 the split held and the proof holds; 1 a step failed, an error or a lost row;"
                + " 2 usage.", "", "Example:", "  mitosis demo", "  mitosis demo --dir /tmp/split --keep"})
public final class DemoCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--dir", paramLabel = "D", description = "a new or empty dir for the sandbox (default:"
            + " mitosis-demo/<UTC time>)")
    Path dir;

    @Option(names = "--keep", description = "leave the fleet running at the end, for inspection")
    boolean keep;

    @Option(names = "--pairs", defaultValue = "2", paramLabel = "N", description = "old shards (default: ${DEFAULT-VALUE})")
    int pairs;

    @Option(names = "--rows", defaultValue = "10000", paramLabel = "R", description = "sample rows (default: ${DEFAULT-VALUE})")
    long rows;

    @Option(names = "--ops-per-second", defaultValue = "600", paramLabel = "N",
            description = "the load generator's reads and writes per second (default: ${DEFAULT-VALUE})")
    double opsPerSecond;

    @Option(names = "--write-percent", defaultValue = "20", paramLabel = "P",
            description = "the share of writes (inserts, updates, deletes) among them; the rest are reads by uid"
                    + " (default: ${DEFAULT-VALUE})")
    int writePercent;

    @Option(names = "--threads", defaultValue = "8", paramLabel = "T",
            description = "the load generator's threads (default: ${DEFAULT-VALUE})")
    int threads;

    @Option(names = "--seed", defaultValue = "42", paramLabel = "S", description = "seed of the data and the load"
            + " (default: ${DEFAULT-VALUE})")
    long seed;

    @Override
    public Integer call() {
        Path target = usableDir();
        if (pairs < 1 || pairs > 8) {
            throw OperatorException.usage("--pairs " + pairs + " is out of range, expected 1..8");
        }
        if (rows < 1 || rows > 10_000_000) {
            throw OperatorException.usage("--rows " + rows + " is out of range, expected 1..10000000");
        }
        if (opsPerSecond < 1 || threads < 1 || threads > 64 || writePercent < 1 || writePercent > 100) {
            throw OperatorException.usage("--ops-per-second must be >= 1, --threads 1..64 and --write-percent 1..100");
        }
        Progress progress = new Progress(spec.commandLine().getErr(), "mitosis demo");
        DemoRun run = new DemoRun(new DemoRun.Options(target, pairs, rows, opsPerSecond, writePercent, threads, seed), progress);
        Thread onSignal = new Thread(() -> cleanup(run, progress, keep), "demo-cleanup");
        Runtime.getRuntime().addShutdownHook(onSignal);
        String failure = null;
        try {
            run.steps();
        } catch (Timeline.Failed e) {
            failure = e.getMessage();
        } catch (RuntimeException e) {
            failure = "the demo failed: " + e;
        }
        DemoOutcome outcome;
        try {
            outcome = conclude(run, target, failure, progress);
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(onSignal);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs now and cleans up
            }
            cleanup(run, progress, keep);
        }
        DemoTable.lines(outcome).forEach(spec.commandLine().getErr()::println);
        spec.commandLine().getErr().flush();
        JsonOut.print(spec.commandLine().getOut(), outcome);
        return outcome.passed() ? ExitCodes.OK : ExitCodes.FAILED;
    }

    private Path usableDir() {
        Path target = dir != null ? dir
                : Path.of("mitosis-demo", DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC)
                .format(Instant.now()));
        target = target.toAbsolutePath().normalize();
        try (var entries = Files.exists(target) ? Files.list(target) : java.util.stream.Stream.<Path>empty()) {
            if (entries.findAny().isPresent()) {
                throw OperatorException.usage("--dir " + target + " is not empty: the demo splits a fresh sandbox;"
                        + " give a new or empty dir");
            }
        } catch (IOException e) {
            throw OperatorException.usage("--dir " + target + " cannot be read: " + e.getMessage());
        }
        return target;
    }

    /** Stops the load, counts what it left, and writes the report; the table is built even after a failure. */
    private DemoOutcome conclude(DemoRun run, Path target, String failure, Progress progress) {
        run.stopWorkers();
        List<DemoOutcome.OldShard> old = new ArrayList<>();
        List<DemoOutcome.NewShard> after = new ArrayList<>();
        long expected = 0;
        long lost = -1;
        long back = 0;
        long uncertain = 0;
        List<String> samples = new ArrayList<>();
        String failed = failure;
        if (run.fleet() != null) {
            for (Pair pair : run.fleet().topology().pairs()) {
                old.add(new DemoOutcome.OldShard(pair.number(), pair.a().name(),
                        run.rowsBefore().getOrDefault(DemoRun.rowsKey(pair.a()), 0L), pair.a0().name(),
                        run.rowsBefore().getOrDefault(DemoRun.rowsKey(pair.a0()), 0L)));
            }
        }
        LoadGenerator load = run.load();
        if (load != null) {
            try {
                Set<Long> sample = new HashSet<>();
                for (long i = 0; i < rows; i++) {
                    sample.add(SampleData.uid(i));
                }
                Accounting.Result r = Accounting.check(run.fleet().topology(), sample, load.ledger().expected());
                Map<Integer, Long> partnerRows = run.partners().rows();
                for (Accounting.ShardRows s : r.shards()) {
                    after.add(new DemoOutcome.NewShard(s.shard(), s.server(), s.rows(), s.owned(), s.notOwned(),
                            run.partners().names().get(s.shard()), partnerRows.get(s.shard()), s.missing(), s.stale()));
                }
                expected = r.expectedRows();
                lost = r.lost();
                back = r.resurrected();
                uncertain = r.uncertain();
                samples = r.samples();
            } catch (Exception e) {
                progress.say("the loss check failed: %s", e.getMessage());
                failed = failed != null ? failed : "the loss check could not run: " + e.getMessage();
            }
        }
        LoadGenerator.Totals t = load == null ? null : load.totals();
        DemoOutcome.Load loadRow = t == null ? null : new DemoOutcome.Load(t.reads(), t.inserts(), t.updates(),
                t.deletes(), t.writes(), run.writesAtFlip() < 0 ? 0 : t.writes() - run.writesAtFlip(), t.errors(),
                t.staleReads(), t.opsPerSecond(), t.seconds(), t.errorSamples());
        Map<String, Object> summaries = new LinkedHashMap<>();
        // sandbox up's summary holds the sandbox's password: it stays in D/sandbox.json only.
        run.summaries().forEach((k, v) -> {
            if (!k.equals("sandbox")) {
                summaries.put(k, v);
            }
        });
        double seconds = run.timeline().steps().stream().mapToDouble(Timeline.Step::seconds).sum();
        Path report = target.resolve(DemoReportHtml.FILE);
        DemoOutcome outcome = new DemoOutcome(target.toString(), run.timeline().steps(), failed, old, after, loadRow,
                expected, lost, back, uncertain, samples, seconds, report.toString(), summaries);
        try {
            Files.createDirectories(target);
            DemoReportHtml.write(target, outcome);
        } catch (IOException | RuntimeException e) {
            progress.say("cannot write %s: %s", report, e.getMessage());
        }
        return outcome;
    }

    private void cleanup(DemoRun run, Progress progress, boolean leaveRunning) {
        if (!run.claimCleanup()) {
            return;
        }
        run.stopWorkers();
        if (leaveRunning) {
            progress.say("--keep: the fleet keeps running. Look: mitosis sandbox status --dir %s; mitosis split status"
                    + " --config %s; stop it: mitosis sandbox down --dir %s", dirOf(run), dirOf(run).resolve("mitosis.yaml"),
                    dirOf(run));
            return;
        }
        CommandRunner.Outcome down = run.runner().run("sandbox-down", "sandbox", "down", "--dir", dirOf(run).toString());
        progress.say("cleanup: mitosis sandbox down → exit %d (%s)", down.exitCode(),
                down.json() == null ? "no summary" : down.json().path("stopped").size() + " process(es) stopped");
    }

    private static Path dirOf(DemoRun run) {
        return run.sandboxDir();
    }
}
