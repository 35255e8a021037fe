package dev.mitosis.capture;

import com.codahale.metrics.MetricRegistry;
import dev.mitosis.capture.internal.ServerCapture;
import dev.mitosis.capture.internal.StatusPublisher;
import dev.mitosis.capture.internal.StoredOffsets;
import dev.mitosis.connectors.capture.CaptureStatus;
import dev.mitosis.connectors.capture.CaptureStatusStore;
import dev.mitosis.connectors.kafka.KafkaClients;
import dev.mitosis.connectors.topology.MitosisConfig;
import dev.mitosis.connectors.topology.Server;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Captures the binlogs of a set of servers into Kafka: one Debezium engine per server, each on its own thread,
 * publishing every row change to {@code <prefix>.cdc.<server>.<schema>.<table>} (see
 * {@link dev.mitosis.connectors.kafka.TopicNames}) before its offset is stored. At-least-once: a kill replays
 * the unstored tail, never loses it; consumers de-duplicate by
 * {@link dev.mitosis.connectors.events.EventId}.
 *
 * <p>Lifecycle {@code NEW → STARTING → RUNNING → DRAINING → STOPPED | FAILED}. A server whose capture fails for
 * good (preflight, gap) makes the worker FAILED; the others keep running until {@link #close()}.
 */
public final class CaptureWorker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CaptureWorker.class);
    /** The whole worker's stop budget: SIGTERM must end the process within 10 s with offsets committed. */
    public static final Duration STOP_TIMEOUT = Duration.ofSeconds(8);
    /**
     * How often each server's status is published on {@code <prefix>.capture.health} (and within 50 ms of a state
     * change, or of the processed position moving while nothing waits: the heartbeat after a last write).
     */
    public static final Duration STATUS_INTERVAL = Duration.ofMillis(250);
    /** The bound of one status write; the final one also fits in what is left of the 10 s SIGTERM budget. */
    private static final Duration STATUS_TIMEOUT = Duration.ofSeconds(3);

    private final AtomicReference<WorkerState> state = new AtomicReference<>(WorkerState.NEW);
    private final List<ServerCapture> captures = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final MetricRegistry metrics;
    private final StatusPublisher statuses;

    /**
     * @param config            the fleet
     * @param servers           the servers to capture (a subset of the topology)
     * @param settings          snapshot mode, engine ids, backoff
     * @param rebaselineCommand the command an operator runs when a gap is found, with {@code {server}} for the
     *                          server's name
     */
    public CaptureWorker(MitosisConfig config, List<Server> servers, CaptureSettings settings,
                         String rebaselineCommand, MetricRegistry metrics, Clock clock) {
        this.metrics = metrics;
        KafkaClients kafka = new KafkaClients(config.kafka());
        List<Server> all = config.topology().servers();
        for (Server server : servers) {
            int index = all.indexOf(server);
            if (index < 0) {
                throw new IllegalArgumentException("server " + server.name() + " is not in the topology");
            }
            captures.add(new ServerCapture(server, config.schemas(), kafka, settings,
                    settings.replicaServerIdBase() + index, rebaselineCommand.replace("{server}", server.name()),
                    metrics, clock));
        }
        this.statuses = new StatusPublisher(captures, new CaptureStatusStore(kafka, STATUS_TIMEOUT), clock,
                STATUS_INTERVAL);
    }

    /** Captures every server of the topology. */
    public static CaptureWorker forAllServers(MitosisConfig config, CaptureSettings settings, String rebaselineCommand,
                                              MetricRegistry metrics, Clock clock) {
        return new CaptureWorker(config, config.topology().servers(), settings, rebaselineCommand, metrics, clock);
    }

    /** Starts one engine thread per server; returns at once (see {@link #health()} for progress). */
    public CaptureWorker start() {
        if (!state.compareAndSet(WorkerState.NEW, WorkerState.STARTING)) {
            throw new IllegalStateException("capture worker already started (state " + state.get() + ")");
        }
        for (ServerCapture capture : captures) {
            Thread thread = new Thread(capture, "capture-" + capture.server().name());
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
        statuses.start();
        state.compareAndSet(WorkerState.STARTING, WorkerState.RUNNING);
        LOG.info("event=capture_started servers={}", captures.stream().map(c -> c.server().name()).toList());
        return this;
    }

    /** RUNNING while every server's capture is alive or retrying; FAILED once one failed for good. */
    public WorkerState state() {
        WorkerState now = state.get();
        if (now == WorkerState.RUNNING && firstFailure().isPresent()) {
            state.compareAndSet(WorkerState.RUNNING, WorkerState.FAILED);
            return state.get();
        }
        return now;
    }

    /** The first non-retriable failure of a server, if any. */
    public Optional<CaptureException> firstFailure() {
        return captures.stream().flatMap(c -> c.failure().stream()).findFirst();
    }

    public List<ServerHealth> health() {
        return captures.stream().map(ServerCapture::health).toList();
    }

    /**
     * The last status of each server as published (or, with the broker away, as it would have been) on
     * {@code <prefix>.capture.health}: with the server's own GTID position and how far behind it capture is.
     */
    public List<CaptureStatus> statuses() {
        return statuses.latest();
    }

    public MetricRegistry metrics() {
        return metrics;
    }

    /** Whether capture stored a position for {@code server} (its next start resumes there). */
    public static boolean hasStoredPosition(MitosisConfig config, Server server) {
        return new StoredOffsets(new KafkaClients(config.kafka())).read(server).isPresent();
    }

    /** Forgets the stored position of {@code server} so its next start is a first start (the re-baseline). */
    public static void rebaseline(MitosisConfig config, Server server) {
        new StoredOffsets(new KafkaClients(config.kafka())).forget(server);
    }

    /**
     * Stops intake, lets each engine commit what the broker acknowledged, and waits for the threads, all within
     * {@link #STOP_TIMEOUT}. Idempotent.
     */
    @Override
    public void close() {
        WorkerState before = state.getAndUpdate(s -> s == WorkerState.STOPPED || s == WorkerState.FAILED
                ? s : WorkerState.DRAINING);
        if (before == WorkerState.STOPPED || before == WorkerState.DRAINING) {
            return;
        }
        if (before == WorkerState.NEW) {
            statuses.close(Duration.ZERO); // never started: nothing to publish
            state.set(WorkerState.STOPPED);
            return;
        }
        long deadline = System.nanoTime() + STOP_TIMEOUT.toNanos();
        List<Thread> stoppers = new ArrayList<>();
        for (ServerCapture capture : captures) {
            Thread stopper = new Thread(() -> {
                try {
                    if (!capture.stop(STOP_TIMEOUT)) {
                        LOG.warn("event=capture_stop_slow server={} timeout_ms={}", capture.server().name(),
                                STOP_TIMEOUT.toMillis());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "capture-stop-" + capture.server().name());
            stoppers.add(stopper);
            stopper.start();
        }
        for (Thread stopper : stoppers) {
            try {
                stopper.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        // The last status says STOPPED (or FAILED) within what is left of the budget, at least half a second.
        long left = Math.max(500, (deadline - System.nanoTime()) / 1_000_000 + 1500);
        statuses.close(Duration.ofMillis(Math.min(left, STATUS_TIMEOUT.toMillis())));
        WorkerState end = firstFailure().isPresent() ? WorkerState.FAILED : WorkerState.STOPPED;
        state.set(end);
        LOG.info("event=capture_stopped state={}", end);
    }
}
