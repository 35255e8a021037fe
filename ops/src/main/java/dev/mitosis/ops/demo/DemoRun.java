package dev.mitosis.ops.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.mitosis.connectors.capture.CaptureState;
import dev.mitosis.connectors.capture.CaptureStatus;
import dev.mitosis.connectors.capture.CaptureStatusStore;
import dev.mitosis.connectors.kafka.KafkaClients;
import dev.mitosis.connectors.mariadb.ServerConnector;
import dev.mitosis.connectors.routing.ShardDataSources;
import dev.mitosis.connectors.routing.ShardRouter;
import dev.mitosis.connectors.shard.ServerRole;
import dev.mitosis.connectors.topology.MitosisConfig;
import dev.mitosis.connectors.topology.MitosisConfigLoader;
import dev.mitosis.connectors.topology.Pair;
import dev.mitosis.connectors.topology.Server;
import dev.mitosis.ops.cli.Progress;
import dev.mitosis.ops.sandbox.SampleData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * The whole split on a sandbox under live load, step by step through the same commands an operator runs: sandbox,
 * routing, capture, load, verify until PASS, flip to 2n, cut, a new HA partner per new shard, purge every new shard,
 * prove. Nothing is skipped: a step whose command refuses, or is not in this build, fails the demo by name.
 */
final class DemoRun {

    static final List<String> STEPS = List.of("sandbox", "routing", "capture", "load", "verify", "flip", "cut",
            "repartner", "purge", "prove");
    /** A pass over a chunk that kept changing under the load is UNKNOWN; the runbook says: verify again. */
    private static final int VERIFY_PASSES = 8;
    private static final Duration CAPTURE_READY = Duration.ofSeconds(60);
    /** A capture that published no status at all by then publishes none: the purge's interlock 4 names that. */
    private static final Duration CAPTURE_SILENT = Duration.ofSeconds(20);
    private static final Duration FLIP_FOLLOWED = Duration.ofSeconds(60);
    /** The demo's bound on the purges together; a purge stopped at it resumes where it stopped. */
    private static final Duration PURGE_TIMEOUT = Duration.ofMinutes(15);
    private static final int PURGE_ATTEMPTS = 3;
    /** The sandbox's misrouted-write quiet window: long enough to mean something, short enough for a demo. */
    static final long QUIET_WINDOW_MS = 10_000;

    /** The options of one run. */
    record Options(Path dir, int pairs, long rows, double opsPerSecond, int writePercent, int threads, long seed) {
    }

    private final Options options;
    private final Progress progress;
    private final CommandRunner runner;
    private final Timeline timeline;
    private final Path sandboxDir;
    private final Path config;
    private final Map<String, JsonNode> summaries = new LinkedHashMap<>();
    private final Map<Integer, Long> rowsBefore = new LinkedHashMap<>();
    private final HaPartners partners;
    private final Children children = new Children();
    private MitosisConfig fleet;
    private CaptureRun capture;
    private ShardRouter router;
    private ShardDataSources pools;
    private LoadGenerator load;
    private long writesAtFlip = -1;
    private final AtomicBoolean cleanup = new AtomicBoolean();

    DemoRun(Options options, Progress progress) {
        this.options = options;
        this.progress = progress;
        this.runner = new CommandRunner(options.dir().resolve("demo-logs"));
        this.timeline = new Timeline(progress, STEPS.size());
        this.sandboxDir = options.dir().resolve("sandbox");
        this.config = sandboxDir.resolve("mitosis.yaml");
        this.partners = new HaPartners(sandboxDir, options.pairs());
    }

    Timeline timeline() {
        return timeline;
    }

    Map<String, JsonNode> summaries() {
        return summaries;
    }

    Map<Integer, Long> rowsBefore() {
        return rowsBefore;
    }

    long writesAtFlip() {
        return writesAtFlip;
    }

    LoadGenerator load() {
        return load;
    }

    MitosisConfig fleet() {
        return fleet;
    }

    /** Runs every step; throws {@link Timeline.Failed} at the first that does not hold. */
    void steps() {
        timeline.run("sandbox", this::sandbox);
        partners.provision();
        timeline.run("routing", c -> {
            JsonNode flip = command(c, "routing", "flip", "--config", config.toString(), "--to",
                    String.valueOf(options.pairs()));
            return "epoch " + flip.path("epoch").asLong() + " routes by uid % " + flip.path("modulus").asInt();
        });
        timeline.run("capture", this::capture);
        timeline.run("load", this::load);
        timeline.run("verify", this::verify);
        timeline.run("flip", this::flip);
        timeline.run("cut", c -> {
            for (Pair pair : fleet.topology().pairs()) {
                command(c, "cut-pair-" + pair.number(), "pair", "cut", "--config", config.toString(), "--pair",
                        String.valueOf(pair.number()));
            }
            return "every old pair stopped replicating both ways";
        });
        timeline.run("repartner", this::repartner);
        timeline.run("purge", this::purge);
        timeline.run("prove", this::prove);
    }

    private String sandbox(List<String> commands) throws IOException, java.sql.SQLException {
        JsonNode up = command(commands, "sandbox", "sandbox", "up", "--pairs", String.valueOf(options.pairs()),
                "--rows", String.valueOf(options.rows()), "--seed", String.valueOf(options.seed()), "--dir",
                sandboxDir.toString());
        String yaml = Files.readString(config);
        if (!yaml.contains("quiet.window.ms")) {
            // Ten minutes by default; a demo shows the same interlock over a shorter window.
            Files.writeString(config, yaml + "# added by `mitosis demo`: the misrouted-write window of interlock 3\n"
                    + "purge:\n  quiet.window.ms: " + QUIET_WINDOW_MS + "\n");
        }
        fleet = MitosisConfigLoader.withSystemEnvironment().load(config);
        for (Server server : fleet.topology().servers()) {
            try (Connection c = new ServerConnector(server).open()) {
                rowsBefore.put(rowsKey(server), Accounting.count(c, "SELECT COUNT(*) FROM `app`.`accounts`"));
            }
        }
        return String.format("%d pairs, %d rows, kafka %s (%.1f s to start and load)", options.pairs(),
                options.rows(), up.path("sandbox").path("kafka").path("bootstrap").asText(),
                up.path("seconds").path("total").asDouble());
    }

    /** Rows before are kept per server: pair * 2 + side. */
    static int rowsKey(Server server) {
        return server.pair() * 2 + (server.role() == ServerRole.A ? 0 : 1);
    }

    private String capture(List<String> commands) {
        capture = new CaptureRun(options.dir().resolve("demo-logs").resolve("capture.log"));
        commands.add("mitosis capture --config " + config + "   (in the background until the end)");
        capture.start(config);
        Set<String> servers = new HashSet<>();
        fleet.topology().servers().forEach(s -> servers.add(s.name()));
        long deadline = System.nanoTime() + CAPTURE_READY.toNanos();
        Map<String, CaptureStatus> latest = Map.of();
        try (CaptureStatusStore health = new CaptureStatusStore(new KafkaClients(fleet.kafka()), Duration.ofSeconds(5))) {
            while (System.nanoTime() < deadline) {
                if (capture.exitCode() != null) {
                    throw new Timeline.Failed("capture ended with exit " + capture.exitCode() + ": "
                            + String.join(" | ", CommandRunner.tail(capture.log(), 5)));
                }
                latest = readHealth(health);
                if (latest.isEmpty() && System.nanoTime() - deadline + CAPTURE_READY.toNanos() > CAPTURE_SILENT.toNanos()) {
                    break;
                }
                if (latest.keySet().containsAll(servers)
                        && latest.values().stream().allMatch(s -> s.state() == CaptureState.RUNNING)) {
                    return "every server's binlog streams into Kafka (" + health.topic() + ": all RUNNING)";
                }
                LockSupport.parkNanos(Duration.ofMillis(500).toNanos());
            }
        }
        if (capture.exitCode() == null && latest.isEmpty()) {
            // Capture runs but publishes no health: the purge's interlock 4 will say so, by name.
            return "capture runs, but published no status on the capture health topic within "
                    + CAPTURE_SILENT.toSeconds() + " s";
        }
        throw new Timeline.Failed("capture not RUNNING on every server within " + CAPTURE_READY.toSeconds()
                + " s: " + latest.values().stream().map(s -> s.server() + "=" + s.state()).toList());
    }

    private static Map<String, CaptureStatus> readHealth(CaptureStatusStore health) {
        try {
            return health.latest();
        } catch (RuntimeException e) {
            return Map.of(); // the topic may not exist before capture's first status
        }
    }

    private String load(List<String> commands) {
        KafkaClients clients = new KafkaClients(fleet.kafka());
        router = ShardRouter.start(clients, "mitosis-demo-load", Duration.ofSeconds(30));
        Server any = fleet.topology().servers().get(0);
        pools = new ShardDataSources(any.credentials().user(), any.credentials().password().value(), "app",
                options.threads() + 2);
        List<Long> sample = new ArrayList<>();
        for (long i = 0; i < options.rows(); i++) {
            sample.add(SampleData.uid(i));
        }
        load = new LoadGenerator(router, pools, sample, options.threads(), options.opsPerSecond(),
                options.writePercent(), options.seed());
        commands.add("ShardRouter client mitosis-demo-load: " + options.threads() + " threads, "
                + (long) options.opsPerSecond() + " ops/s, " + options.writePercent()
                + " % writes, every statement under router.lease(uid)");
        load.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (load.totals().writes() + load.totals().reads() < options.opsPerSecond() && System.nanoTime() < deadline) {
            LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
        }
        LoadGenerator.Totals before = load.totals();
        LockSupport.parkNanos(Duration.ofSeconds(2).toNanos()); // a sample of the steady rate, not of the start
        LoadGenerator.Totals t = load.totals();
        if (t.errors() > 0) {
            throw new Timeline.Failed("the load generator's first writes failed: " + t.errorSamples());
        }
        double rate = (t.writes() + t.reads() - before.writes() - before.reads()) / (t.seconds() - before.seconds());
        return String.format("%.0f ops/s (reads and writes), routed by epoch %d", rate, t.epochsSeen());
    }

    private String verify(List<String> commands) {
        List<String> verdicts = new ArrayList<>();
        for (Pair pair : fleet.topology().pairs()) {
            String last = "none";
            int passes = 0;
            while (passes < VERIFY_PASSES) {
                passes++;
                CommandRunner.Outcome o = runner.run("verify-pair-" + pair.number(), "verify", "--config",
                        config.toString(), "--pair", String.valueOf(pair.number()), "--once", "--report-dir",
                        options.dir().resolve("reports").resolve("pair-" + pair.number()).toString());
                record(commands, "verify-pair-" + pair.number(), o);
                last = o.json() == null ? "exit " + o.exitCode() : o.json().path("verdict").asText() + " "
                        + o.json().path("reasons");
                if (o.exitCode() == 0) {
                    break;
                }
                if (o.json() == null) {
                    throw new Timeline.Failed("pair " + pair.number() + ": verify ended without a verdict, exit "
                            + o.exitCode() + ": " + String.join(" | ", CommandRunner.tail(o.log(), 3)));
                }
                if (o.exitCode() == 1) {
                    throw new Timeline.Failed("pair " + pair.number() + ": verify FAIL: " + last + " (see "
                            + o.log() + " and the report in " + options.dir().resolve("reports") + ")");
                }
            }
            if (!last.startsWith("PASS")) {
                throw new Timeline.Failed("pair " + pair.number() + ": no PASS in " + VERIFY_PASSES + " passes, last: "
                        + last);
            }
            verdicts.add("pair " + pair.number() + " PASS after " + passes + " pass(es)");
        }
        return String.join(", ", verdicts) + " under live writes";
    }

    private String flip(List<String> commands) {
        int to = 2 * options.pairs();
        writesAtFlip = load.totals().writes();
        JsonNode flip = command(commands, "flip", "flip", "--config", config.toString(), "--to", String.valueOf(to));
        long epoch = flip.path("epoch").asLong();
        long deadline = System.nanoTime() + FLIP_FOLLOWED.toNanos();
        CommandRunner.Outcome status;
        do {
            LockSupport.parkNanos(Duration.ofMillis(500).toNanos());
            status = runner.run("flip-status", "flip", "status", "--config", config.toString(), "--window-s", "30");
        } while ((status.exitCode() != 0 || router.current().orElseThrow().epoch() < epoch)
                && System.nanoTime() < deadline);
        record(commands, "flip-status", status);
        if (status.exitCode() != 0) {
            throw new Timeline.Failed("the load generator did not acknowledge epoch " + epoch + " within "
                    + FLIP_FOLLOWED.toSeconds() + " s (see " + status.log() + ")");
        }
        return "epoch " + epoch + " routes by uid % " + to + "; the load generator switched without stopping ("
                + load.totals().errors() + " errors so far)";
    }

    private String repartner(List<String> commands) throws Exception {
        commands.addAll(partners.repartnerAll());
        return 2 * options.pairs() + " new shards, each with its own HA partner, replicating both ways";
    }

    /**
     * Purges the new shards one after the other, each in its own process, as an operator runs the job; the purges
     * together are bounded by {@link #PURGE_TIMEOUT}: one still running then is stopped with SIGTERM, after its last
     * checkpoint, and fails the step. One at a time, because on a small machine each purge's interlock reads need
     * the broker's attention within their short timeout.
     */
    private String purge(List<String> commands) throws InterruptedException {
        long deadline = System.nanoTime() + PURGE_TIMEOUT.toNanos();
        long deleted = 0;
        for (int shard = 0; shard < 2 * options.pairs(); shard++) {
            CommandRunner.Outcome o = null;
            for (int attempt = 1; attempt <= PURGE_ATTEMPTS && (o == null || onlyCouldNotTell(o)); attempt++) {
                // A refusal that only could not read its evidence (a broker slow to answer) is run again, as an
                // operator would; a refusal on evidence is final.
                CommandRunner.Child child = children.add(runner.start("purge-shard-" + shard, "purge", "--config",
                        config.toString(), "--shard", String.valueOf(shard)));
                o = child.await(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
                record(commands, "purge-shard-" + shard, o);
            }
            if (o.exitCode() == 143) {
                throw new Timeline.Failed("new shard " + shard + ": the purges did not finish within "
                        + PURGE_TIMEOUT.toMinutes() + " min; this one was stopped after its last checkpoint (see "
                        + o.log() + ") and resumes with: " + o.commandLine());
            }
            if (o.exitCode() != 0 || o.json() == null) {
                throw new Timeline.Failed("new shard " + shard + ": purge exit " + o.exitCode() + ": "
                        + (o.json() == null ? String.join(" | ", CommandRunner.tail(o.log(), 5))
                        : o.json().path("outcome").asText() + ", " + refusedInterlocks(o.json())));
            }
            deleted += o.json().path("rowsDeleted").asLong();
        }
        return deleted + " rows deleted, each on the new shard that no longer owns it";
    }

    /** A refused purge whose every refused interlock could not read its evidence: nothing was decided. */
    private static boolean onlyCouldNotTell(CommandRunner.Outcome o) {
        if (o.exitCode() != 1 || o.json() == null || !"REFUSED".equals(o.json().path("outcome").asText())) {
            return false;
        }
        boolean any = false;
        for (JsonNode interlock : o.json().path("interlocks")) {
            if (!interlock.path("holds").asBoolean()) {
                String reason = interlock.path("reason").asText();
                if (!reason.startsWith("cannot")) {
                    return false;
                }
                any = true;
            }
        }
        return any;
    }

    private static String refusedInterlocks(JsonNode purge) {
        List<String> refused = new ArrayList<>();
        for (JsonNode interlock : purge.path("interlocks")) {
            if (!interlock.path("holds").asBoolean()) {
                refused.add(interlock.path("name").asText() + ": " + interlock.path("reason").asText());
            }
        }
        return refused.isEmpty() ? purge.path("reason").asText() : "interlocks refused: " + String.join("; ", refused);
    }

    private String prove(List<String> commands) {
        if (!CommandRunner.hasSubcommand("prove")) {
            throw new Timeline.Failed("`mitosis prove` is not in this build: the post-purge proof cannot run,"
                    + " so the split is not proven");
        }
        for (int shard = 0; shard < 2 * options.pairs(); shard++) {
            command(commands, "prove-shard-" + shard, "prove", "--config", config.toString(), "--shard",
                    String.valueOf(shard));
        }
        return "every new shard holds exactly the rows it owns";
    }

    /** Runs a command that must exit 0 and print its summary. */
    private JsonNode command(List<String> commands, String logName, String... args) {
        CommandRunner.Outcome o = runner.run(logName, args);
        record(commands, logName, o);
        if (o.exitCode() != 0) {
            throw new Timeline.Failed(o.commandLine() + " exited " + o.exitCode() + ": "
                    + String.join(" | ", CommandRunner.tail(o.log(), 4)));
        }
        return o.json() == null ? NullNode.getInstance() : o.json();
    }

    private void record(List<String> commands, String logName, CommandRunner.Outcome o) {
        commands.add(o.commandLine() + "   → exit " + o.exitCode());
        if (o.json() != null) {
            summaries.put(logName, o.json());
        }
    }

    HaPartners partners() {
        return partners;
    }

    /** Stops the load, the router, the pools and capture; idempotent, and never throws. */
    void stopWorkers() {
        if (load != null) {
            load.close();
        }
        if (router != null) {
            router.close();
        }
        if (pools != null) {
            pools.close();
        }
        if (capture != null) {
            capture.close();
        }
        partners.close();
        children.stopAll();
    }

    /** The sandbox's dir, D/sandbox. */
    Path sandboxDir() {
        return sandboxDir;
    }

    /** True for the first caller only: cleanup runs once, from the command or from the shutdown hook. */
    boolean claimCleanup() {
        return cleanup.compareAndSet(false, true);
    }

    CommandRunner runner() {
        return runner;
    }
}
