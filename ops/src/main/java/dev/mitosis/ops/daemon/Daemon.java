package dev.mitosis.ops.daemon;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import dev.mitosis.capture.CaptureSettings;
import dev.mitosis.capture.CaptureWorker;
import dev.mitosis.capture.WorkerState;
import dev.mitosis.connectors.kafka.KafkaClients;
import dev.mitosis.connectors.topology.MitosisConfig;
import dev.mitosis.connectors.topology.Server;
import dev.mitosis.connectors.work.WorkGroup;
import dev.mitosis.ops.http.StatusServer;
import dev.mitosis.purger.PurgeSettings;
import dev.mitosis.verifier.ContinuousVerifier;
import dev.mitosis.verifier.KafkaVerdictStore;
import dev.mitosis.verifier.VerdictStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One daemon process: capture of the servers the config assigns to it, continuous verification of its pairs
 * (with a work group, each pair's tables divided among the daemons that verify it, {@link VerifyLoop}), the purges
 * it is asked to run (tables divided among daemons through the work group), and the HTTP status server.
 *
 * <p>Lifecycle {@code NEW → STARTING → RUNNING → DRAINING → STOPPED}. {@link #close()} is the ordered, bounded
 * shutdown: stop accepting control, stop purges after their chunk, stop verification after its chunk (checkpoint
 * kept), drain capture (offsets committed), stop HTTP — all within {@code daemon.stop.timeout.ms}.
 */
public final class Daemon implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Daemon.class);

    private final MitosisConfig config;
    private final DaemonSettings settings;
    private final Path configFile;
    private final Clock clock;
    private final MetricRegistry metrics = new MetricRegistry();
    private final AtomicReference<WorkerState> state = new AtomicReference<>(WorkerState.NEW);
    private final List<VerifyLoop> verifiers = new ArrayList<>();
    private final VerdictStore verdicts;
    private final PurgeWorkers purges;
    private volatile boolean acceptingControl;
    private CaptureWorker capture;
    private WorkGroup work;
    private StatusServer http;

    public Daemon(MitosisConfig config, DaemonSettings settings, Path configFile, Clock clock) {
        this.config = config;
        this.settings = settings;
        this.configFile = configFile;
        this.clock = clock;
        this.verdicts = new KafkaVerdictStore(config.kafka());
        this.purges = new PurgeWorkers(config, PurgeSettings.from(config, configFile.toAbsolutePath().getParent()),
                settings.stateDir(), settings.purgeRetryInterval(),
                settings.workGroup().isPresent() ? settings.rangesPerTable() : 1);
    }

    /** Starts every worker and the HTTP server; returns once they run. */
    public Daemon start() {
        if (!state.compareAndSet(WorkerState.NEW, WorkerState.STARTING)) {
            throw new IllegalStateException("the daemon already started (state " + state.get() + ")");
        }
        try {
            Files.createDirectories(settings.stateDir());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create daemon.state.dir " + settings.stateDir(), e);
        }
        // HTTP first: a port in use fails the start before any worker touches a server.
        http = StatusServer.start(settings.http(), metrics, new DaemonEndpoints(this));
        if (!settings.captureServers().isEmpty()) {
            String rebaseline = "mitosis capture --config " + configFile + " --servers {server} --rebaseline";
            capture = new CaptureWorker(config, settings.captureServers(), CaptureSettings.defaults()
                    .withReplicaServerIdBase(settings.replicaServerIdBase()), rebaseline, metrics, clock).start();
        }
        work = settings.workGroup()
                .map(group -> WorkGroup.join(new KafkaClients(config.kafka()), group, settings.workPartitions(),
                        memberName(), purges))
                .orElseGet(() -> WorkGroup.solo(settings.workPartitions(), purges));
        purges.useWorkGroup(work);
        ContinuousVerifier.Schedule schedule = new ContinuousVerifier.Schedule(settings.verifyInterval(),
                settings.verifyRefreshInterval(), ContinuousVerifier.Schedule.defaults().republishAfter());
        for (int pair : settings.verifyPairs()) {
            VerifyLoop loop = new VerifyLoop(config.topology().pair(pair), config,
                    settings.stateDir().resolve("verify").resolve("pair-" + pair), schedule, verdicts, clock,
                    settings.workGroup(), settings.workPartitions(), settings.rangesPerTable(), memberName());
            verifiers.add(loop);
            loop.start();
        }
        settings.purgeShards().forEach(purges::start);
        registerGauges();
        acceptingControl = true;
        state.set(WorkerState.RUNNING);
        LOG.info("event=daemon_started capture={} verify_pairs={} purge_shards={} work_group={} http={}:{}",
                settings.captureServers().stream().map(Server::name).toList(), settings.verifyPairs(),
                settings.purgeShards(), settings.workGroup().orElse("-"), settings.http().bindAddress(), http.port());
        return this;
    }

    private static String memberName() {
        return "mitosis-daemon-" + ManagementFactory.getRuntimeMXBean().getName();
    }

    private void registerGauges() {
        for (VerifyLoop loop : verifiers) {
            metrics.register("verify.pair." + loop.pair() + ".verdict", (Gauge<Integer>) () -> loop.last()
                    .map(r -> switch (r.verdict()) {
                        case PASS -> 0;
                        case FAIL -> 1;
                        case UNKNOWN -> 3;
                    }).orElse(3));
        }
        metrics.register("work.partitions.owned", (Gauge<Integer>) () -> work.owned().size());
    }

    public WorkerState state() {
        return state.get();
    }

    /** The HTTP port (useful when {@code http.port} is 0). */
    public int httpPort() {
        return http.port();
    }

    MitosisConfig config() {
        return config;
    }

    DaemonSettings settings() {
        return settings;
    }

    Clock clock() {
        return clock;
    }

    VerdictStore verdicts() {
        return verdicts;
    }

    PurgeWorkers purges() {
        return purges;
    }

    boolean acceptingControl() {
        return acceptingControl;
    }

    Optional<CaptureWorker> capture() {
        return Optional.ofNullable(capture);
    }

    List<VerifyLoop> verifiers() {
        return List.copyOf(verifiers);
    }

    WorkGroup work() {
        return work;
    }

    /** Ready once running with no worker failed for good. */
    boolean ready() {
        return state.get() == WorkerState.RUNNING
                && capture().map(c -> c.state() == WorkerState.RUNNING).orElse(true)
                && verifiers.stream().noneMatch(v -> v.state().equals("FAILED"));
    }

    /**
     * The ordered, bounded shutdown. Idempotent.
     *
     * @return what each step did, for the summary
     */
    public Map<String, Object> stop() {
        Map<String, Object> steps = new LinkedHashMap<>();
        WorkerState before = state.getAndSet(WorkerState.DRAINING);
        if (before == WorkerState.DRAINING || before == WorkerState.STOPPED) {
            state.set(before);
            return steps;
        }
        long startNanos = System.nanoTime();
        // Capture's drain (offsets committed) is kept whole: purge and verification share what is left before it.
        long deadline = startNanos + settings.stopTimeout().toNanos() - CaptureWorker.STOP_TIMEOUT.toNanos()
                - Duration.ofSeconds(1).toNanos();
        acceptingControl = false;
        steps.put("control", "closed");
        try {
            steps.put("purge", purges.stopAll(left(deadline)) ? "stopped after its chunk" : "still running at the deadline");
            verifiers.forEach(VerifyLoop::stop);
            boolean verified = true;
            for (VerifyLoop loop : verifiers) {
                verified &= loop.awaitStopped(left(deadline));
            }
            steps.put("verify", verified ? "stopped after its chunk, checkpoint kept" : "still running at the deadline");
            verifiers.forEach(VerifyLoop::leaveGroup);
            verdicts.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (work != null) {
            work.close();
            steps.put("work", "left the group");
        }
        if (capture != null) {
            // CaptureWorker bounds its own drain by CaptureWorker.STOP_TIMEOUT.
            capture.close();
            steps.put("capture", capture.state().name());
        }
        if (http != null) {
            http.close();
            steps.put("http", "closed");
        }
        steps.put("elapsedMs", (System.nanoTime() - startNanos) / 1_000_000);
        state.set(WorkerState.STOPPED);
        LOG.info("event=daemon_stopped steps={}", steps);
        return steps;
    }

    private static Duration left(long deadlineNanos) {
        return Duration.ofNanos(Math.max(1_000_000, deadlineNanos - System.nanoTime()));
    }

    @Override
    public void close() {
        stop();
    }
}
