package dev.mitosis.ops.capture;

import com.codahale.metrics.MetricRegistry;
import dev.mitosis.capture.CaptureMain;
import dev.mitosis.capture.CaptureSettings;
import dev.mitosis.capture.CaptureWorker;
import dev.mitosis.capture.ServerHealth;
import dev.mitosis.capture.SnapshotMode;
import dev.mitosis.capture.WorkerState;
import dev.mitosis.connectors.topology.MitosisConfig;
import dev.mitosis.connectors.topology.MitosisConfigLoader;
import dev.mitosis.connectors.topology.Server;
import dev.mitosis.ops.cli.ExitCodes;
import dev.mitosis.ops.cli.JsonOut;
import dev.mitosis.ops.cli.OperatorException;
import dev.mitosis.ops.cli.Progress;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code mitosis capture}: the capture daemon in the foreground. SIGTERM (or SIGINT) drains every engine, commits
 * the offsets of what the broker acknowledged and exits within 10 s; a server that cannot be captured (preflight,
 * gap) ends it with exit 1 and the fix on stderr.
 */
@Command(name = "capture",
        mixinStandardHelpOptions = true,
        description = {
            "Tail the binlog of every configured server (or --servers) with Debezium and publish each row change to"
                + " Kafka topic <kafka.topic.prefix>.cdc.<server>.<schema>.<table>, at least once: an offset is"
                + " stored only after the broker acknowledged (acks=all) every change before it.",
            "Runs in the foreground; SIGTERM drains and stops within 10 s with offsets committed, then prints one"
                + " JSON summary. Health goes to stderr every --status-interval-s seconds.",
            "A first start takes no snapshot (--snapshot none: the stream starts at the current GTID); a restart"
                + " resumes from the stored offset. If that is no longer in the server's binlogs, capture stops and"
                + " names the re-baseline: --servers S --rebaseline.",
        },
        footer = {"", "Examples:", "  mitosis capture --config sandbox/mitosis.yaml",
            "  mitosis capture --config sandbox/mitosis.yaml --servers p0-a --rebaseline"})
public final class CaptureCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--config", required = true, paramLabel = "C", description = "mitosis.yaml")
    Path config;

    @Option(names = "--servers", split = ",", paramLabel = "S", description = "servers to capture (default: all)")
    List<String> servers;

    @CommandLine.Mixin
    CaptureSourceOptions source = new CaptureSourceOptions();

    @Option(names = "--rebaseline",
            description = "forget the stored position of each of --servers (required) first: the stream restarts at"
                    + " the server's current GTID. Re-verify the pair afterwards: changes in the gap are not in Kafka")
    boolean rebaseline;

    @Option(names = "--status-interval-s", defaultValue = "30", paramLabel = "N",
            description = "seconds between health lines on stderr (default: ${DEFAULT-VALUE})")
    int statusIntervalSeconds;

    /** Set by {@link #stop()}; the foreground loop waits on it. */
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    /** Counted down once the worker is closed and the summary printed. */
    private final CountDownLatch drained = new CountDownLatch(1);

    @Override
    public Integer call() throws InterruptedException {
        try {
            return run();
        } finally {
            drained.countDown();
        }
    }

    private int run() throws InterruptedException {
        SnapshotMode mode = source.snapshotMode();
        int replicaServerIdBase = source.replicaServerIdBase();
        if (statusIntervalSeconds < 1) {
            throw OperatorException.usage("--status-interval-s " + statusIntervalSeconds + ": expected >= 1");
        }
        if (rebaseline && (servers == null || servers.isEmpty())) {
            throw OperatorException.usage("--rebaseline needs --servers: name each server to re-baseline");
        }
        MitosisConfig fleet = MitosisConfigLoader.withSystemEnvironment().load(config);
        List<Server> selected;
        try {
            selected = CaptureMain.selectServers(fleet, servers == null ? "all" : String.join(",", servers));
        } catch (IllegalArgumentException e) {
            throw OperatorException.usage("--servers: " + e.getMessage());
        }
        Progress progress = new Progress(spec.commandLine().getErr(), "mitosis capture");
        if (rebaseline) {
            for (Server server : selected) {
                CaptureWorker.rebaseline(fleet, server);
                progress.say("re-baselined %s: its stored position is forgotten; re-verify pair %d", server.name(),
                        server.pair());
            }
        }
        String rebaselineCommand = "mitosis capture --config " + config + " --servers {server} --rebaseline";
        CaptureWorker worker = new CaptureWorker(fleet, selected, CaptureSettings.defaults().withSnapshotMode(mode)
                .withReplicaServerIdBase(replicaServerIdBase), rebaselineCommand, new MetricRegistry(),
                Clock.systemUTC());
        Thread onSignal = new Thread(this::stopAndAwaitDrain, "capture-sigterm");
        Runtime.getRuntime().addShutdownHook(onSignal);
        boolean signalled = false;
        try {
            worker.start();
            progress.say("capturing %s into %s.cdc.*", selected.stream().map(Server::name).toList(),
                    fleet.kafka().topicPrefix());
            long nextStatus = System.nanoTime();
            while (!stopRequested.await(200, TimeUnit.MILLISECONDS)) {
                if (worker.state() == WorkerState.FAILED) {
                    break;
                }
                if (System.nanoTime() >= nextStatus) {
                    worker.health().forEach(h -> progress.say("%s", statusLine(h)));
                    nextStatus = System.nanoTime() + Duration.ofSeconds(statusIntervalSeconds).toNanos();
                }
            }
            signalled = stopRequested.getCount() == 0;
        } finally {
            worker.close();
            if (!signalled) {
                try {
                    Runtime.getRuntime().removeShutdownHook(onSignal);
                } catch (IllegalStateException shuttingDown) {
                    // the JVM is already exiting: the hook runs and finds the worker closed
                }
            }
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("command", "capture");
        summary.put("state", worker.state().name());
        summary.put("servers", worker.health().stream().map(CaptureCommand::json).toList());
        worker.firstFailure().ifPresent(f -> summary.put("error", f.getMessage()));
        JsonOut.print(spec.commandLine().getOut(), summary);
        if (worker.firstFailure().isPresent()) {
            throw OperatorException.failed(worker.firstFailure().get().getMessage());
        }
        return signalled ? ExitCodes.TERMINATED : ExitCodes.OK;
    }

    /** Ends the foreground loop as SIGTERM does: the worker drains and the command returns. */
    public void stop() {
        stopRequested.countDown();
    }

    /** On SIGTERM: end the loop, then hold the JVM until the drain is done (it halts once the hooks return). */
    private void stopAndAwaitDrain() {
        stop();
        try {
            drained.await(CaptureWorker.STOP_TIMEOUT.plusSeconds(1).toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String statusLine(ServerHealth h) {
        return "server=" + h.server() + " status=" + h.state() + " processed_gtid=" + h.processedGtid().orElse("-")
                + " last_gtid=" + h.lastGtid().orElse("-")
                + " lag_ms=" + h.lagMillis() + " events=" + h.events()
                + String.format(" events_per_s=%.1f", h.eventsPerSecond()) + " retries=" + h.retries()
                + h.error().map(e -> " error=\"" + e + "\"").orElse("");
    }

    private static Map<String, Object> json(ServerHealth h) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("server", h.server());
        m.put("status", h.state().name());
        m.put("processedGtid", h.processedGtid().orElse(null));
        m.put("lastGtid", h.lastGtid().orElse(null));
        m.put("lagMs", h.lagMillis());
        m.put("events", h.events());
        m.put("retries", h.retries());
        h.error().ifPresent(e -> m.put("error", e));
        return m;
    }
}
