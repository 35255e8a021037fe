package dev.mitosis.capture.internal;

import com.codahale.metrics.MetricRegistry;
import dev.mitosis.capture.CaptureEngineConfig;
import dev.mitosis.capture.CaptureException;
import dev.mitosis.capture.CaptureSettings;
import dev.mitosis.capture.GapDetectedException;
import dev.mitosis.capture.ServerHealth;
import dev.mitosis.connectors.capture.CaptureState;
import dev.mitosis.connectors.kafka.KafkaClients;
import dev.mitosis.connectors.mariadb.ServerConnector;
import dev.mitosis.connectors.topology.Server;
import io.debezium.embedded.Connect;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.debezium.engine.format.ChangeEventFormat;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Capture of one server: preflight, gap check, then a Debezium engine publishing through {@link PublishingConsumer},
 * restarted with capped backoff when it fails for a retriable reason (server or broker away), stopped for good on
 * a preflight failure or a gap. Runs on its own thread ({@link #run()}); {@link #stop(Duration)} ends it.
 */
public final class ServerCapture implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(ServerCapture.class);
    /** Part of an orderly stop's 10 s: the broker's acknowledgement of what was sent, normally milliseconds. */
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(3);
    /** The stored position's read (offsets topic created first), itself bounded by 30 s per step. */
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    /** A binlog client disconnected this long is restarted from the stored offset (see {@link ConnectionWatch}). */
    private static final Duration DISCONNECT_GRACE = Duration.ofSeconds(3);
    private static final Duration DISCONNECT_CHECK_EVERY = Duration.ofMillis(250);

    private final Server server;
    private final List<String> schemas;
    private final KafkaClients kafka;
    private final CaptureSettings settings;
    private final int replicaServerId;
    private final String rebaselineCommand;
    private final Clock clock;
    private final CaptureProgress progress;
    private final ServerConnector connector;
    private final AtomicReference<Phase> status = new AtomicReference<>(Phase.STARTING);

    /** Where the run loop is; {@link #health()} turns POLLING into STARTING, RUNNING or CATCHING_UP. */
    private enum Phase { STARTING, POLLING, RETRYING, FAILED, STOPPED }
    private final AtomicReference<String> error = new AtomicReference<>();
    private final AtomicReference<DebeziumEngine<?>> engine = new AtomicReference<>();
    private final AtomicReference<PublishingConsumer> publishing = new AtomicReference<>();
    private final AtomicReference<String> publishFailure = new AtomicReference<>();
    private final AtomicBoolean lostConnection = new AtomicBoolean();
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final CountDownLatch finished = new CountDownLatch(1);
    private final StreamingProbe streaming;
    private volatile CaptureException failure;

    public ServerCapture(Server server, List<String> schemas, KafkaClients kafka, CaptureSettings settings,
                         int replicaServerId, String rebaselineCommand, MetricRegistry metrics, Clock clock) {
        this.server = server;
        this.schemas = List.copyOf(schemas);
        this.kafka = kafka;
        this.settings = settings;
        this.replicaServerId = replicaServerId;
        this.rebaselineCommand = rebaselineCommand;
        this.clock = clock;
        this.progress = new CaptureProgress(server.name(), metrics, clock);
        this.connector = new ServerConnector(server, Duration.ofSeconds(5), Duration.ofSeconds(30));
        this.streaming = new StreamingProbe(kafka.topics().changePrefix(server.name()));
    }

    public Server server() {
        return server;
    }

    /** The non-retriable failure that ended this capture, if any. */
    public Optional<CaptureException> failure() {
        return Optional.ofNullable(failure);
    }

    @Override
    public void run() {
        Backoff backoff = new Backoff(settings.retryBackoffMin(), settings.retryBackoffMax());
        try {
            while (stopRequested.getCount() > 0) {
                status.set(Phase.STARTING);
                Outcome outcome = runOnce();
                if (stopRequested.getCount() == 0) {
                    break;
                }
                if (outcome.fatal != null) {
                    failure = outcome.fatal;
                    error.set(outcome.fatal.getMessage());
                    status.set(Phase.FAILED);
                    LOG.error("event=capture_failed server={} reason=\"{}\"", server.name(), outcome.fatal.getMessage());
                    return;
                }
                if (outcome.streamed) {
                    backoff.reset();
                }
                Duration delay = backoff.next();
                progress.retried();
                error.set(outcome.retriable);
                status.set(Phase.RETRYING);
                LOG.warn("event=capture_retry server={} attempt={} delay_ms={} reason=\"{}\"", server.name(),
                        backoff.failures(), delay.toMillis(), outcome.retriable);
                if (stopRequested.await(delay.toMillis(), TimeUnit.MILLISECONDS)) {
                    break;
                }
            }
            status.set(Phase.STOPPED);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            status.set(Phase.STOPPED);
        } finally {
            finished.countDown();
        }
    }

    private record Outcome(CaptureException fatal, String retriable, boolean streamed) {
    }

    private Outcome runOnce() {
        Preflight.Facts facts;
        // The broker's side (topics, then the stored position and its gap check) runs while the server is checked,
        // and its gap check while the engine starts: a start is seconds of catching up not done.
        StoredPositionCheck stored = StoredPositionCheck.start(kafka, server, connector, progress);
        try {
            facts = new Preflight(connector, schemas, settings.snapshotMode()).check();
            stored.topics().get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            Optional<Outcome> gap = gapOutcome(stored);
            if (gap.isPresent()) {
                return gap.get();
            }
        } catch (CaptureException e) {
            return new Outcome(e, null, false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(null, "interrupted", false);
        } catch (ExecutionException e) {
            return new Outcome(null, "cannot check " + server.name() + " before start: "
                    + StoredPositionCheck.cause(e), false);
        } catch (SQLException | TimeoutException | RuntimeException e) {
            return new Outcome(null, "cannot check " + server.name() + " before start: " + e.getMessage(), false);
        }
        AtomicReference<Throwable> engineError = new AtomicReference<>();
        AtomicReference<String> engineMessage = new AtomicReference<>();
        CountDownLatch polling = new CountDownLatch(1);
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(CaptureEngineConfig.producer(kafka, server));
        Properties engineProperties = CaptureEngineConfig.engine(server, schemas, kafka, settings.snapshotMode(),
                replicaServerId);
        PublishingConsumer publishing = new PublishingConsumer(producer, server.name(), facts.serverId(), progress,
                refused -> {
                    // The marker thread must not wait for the engine it stops.
                    publishFailure.set(refused.getMessage());
                    Thread stopper = new Thread(this::closeEngine, "capture-refused-" + server.name());
                    stopper.setDaemon(true);
                    stopper.start();
                }, new JsonRecordConverter(engineProperties), stored.passed());
        this.publishing.set(publishing);
        try {
            // Records reach PublishingConsumer unconverted: it converts them to JSON while it sends (see there).
            DebeziumEngine<RecordChangeEvent<SourceRecord>> built = DebeziumEngine.create(
                            ChangeEventFormat.of(Connect.class))
                    .using(engineProperties)
                    .using(clock)
                    .using((success, message, error) -> {
                        engineMessage.set(message);
                        engineError.set(error);
                    })
                    .using(new DebeziumEngine.ConnectorCallback() {
                        @Override
                        public void pollingStarted() {
                            polling.countDown();
                            status.set(Phase.POLLING);
                        }
                    })
                    .notifying(publishing)
                    .build();
            engine.set(built);
            if (stopRequested.getCount() == 0) {
                closeEngine();
                return new Outcome(null, null, false);
            }
            // A stored position found gone (or not checkable) stops this engine at once; publishing would refuse its
            // first batch anyway.
            stored.passed().whenComplete((passed, error) -> {
                if (!Boolean.TRUE.equals(passed) && engine.get() == built) {
                    Thread stopper = new Thread(() -> close(built), "capture-unchecked-" + server.name());
                    stopper.setDaemon(true);
                    stopper.start();
                }
            });
            try (ConnectionWatch watch = new ConnectionWatch(server.name(), streaming::sample, DISCONNECT_GRACE,
                    settings.connectionSilence(), DISCONNECT_CHECK_EVERY, () -> {
                        lostConnection.set(true);
                        return close(built);
                    }).start()) {
                built.run();
            }
        } finally {
            engine.set(null);
            this.publishing.set(null);
            // Whatever is still unacknowledged was not marked processed: it is replayed on the next start.
            closeQuietly(publishing);
            producer.close(Duration.ofSeconds(5));
        }
        boolean streamed = polling.getCount() == 0;
        Throwable cause = engineError.get();
        if (stopRequested.getCount() == 0) {
            return new Outcome(null, null, streamed);
        }
        Optional<Outcome> gap = gapOutcome(stored);
        if (gap.isPresent()) {
            return gap.get();
        }
        String reason = publishFailure.get() != null ? publishFailure.getAndSet(null)
                : lostConnection.getAndSet(false) ? "the binlog connection to " + server.name() + " was lost"
                : cause != null ? rootMessage(cause) : String.valueOf(engineMessage.get());
        if (cause != null && isGap(cause)) {
            return new Outcome(new GapDetectedException(server.name(), reason, rebaselineCommand, cause), null, streamed);
        }
        return new Outcome(null, "engine stopped: " + reason, streamed);
    }

    /** The outcome of a finished stored-position check that did not pass; empty while it runs or when it passed. */
    private Optional<Outcome> gapOutcome(StoredPositionCheck stored) {
        if (!stored.gap().isDone()) {
            return Optional.empty();
        }
        try {
            return stored.gap().join().map(gap -> new Outcome(
                    new GapDetectedException(server.name(), gap, rebaselineCommand, null), null, false));
        } catch (CompletionException | CancellationException e) {
            return Optional.of(new Outcome(null, "cannot check " + server.name() + " before start: "
                    + StoredPositionCheck.cause(e), false));
        }
    }

    private void closeQuietly(PublishingConsumer publishing) {
        try {
            publishing.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** MariaDB's error 1236 (binlog or GTID state purged) as the binlog client reports it. */
    static boolean isGap(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            String message = String.valueOf(t.getMessage());
            if (message.contains("1236") || message.contains("have been purged")
                    || message.contains("no longer available on the server")) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == error ? String.valueOf(error.getMessage())
                : error.getMessage() + " (cause: " + root.getMessage() + ")";
    }

    /**
     * Asks the engine to stop (it commits the offsets of what was acknowledged) and waits for the thread to end.
     *
     * @return whether it ended within {@code timeout}
     */
    public boolean stop(Duration timeout) throws InterruptedException {
        stopRequested.countDown();
        PublishingConsumer publishing = this.publishing.get();
        if (publishing != null) {
            // What was sent is marked before the engine's last flush: an orderly stop replays nothing.
            publishing.drain(DRAIN_TIMEOUT);
        }
        closeEngine();
        return finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void closeEngine() {
        close(engine.get());
    }

    /** Asks {@code running} to stop; false if it refused (Debezium's engine does while tasks start or stop). */
    private boolean close(DebeziumEngine<?> running) {
        if (running != null) {
            try {
                running.close();
            } catch (IOException | RuntimeException e) {
                LOG.warn("event=capture_close_failed server={} reason=\"{}\"", server.name(), e.toString());
                return false;
            }
        }
        return true;
    }

    /** The health of this server's capture now. */
    public ServerHealth health() {
        CaptureState now = switch (status.get()) {
            case STARTING -> CaptureState.STARTING;
            case RETRYING -> CaptureState.RETRYING;
            case FAILED -> CaptureState.FAILED;
            case STOPPED -> CaptureState.STOPPED;
            // Live only once the binlog client streams: before that the start position may not be taken yet.
            // Events flowing are proof enough, should the MBean's flag lag behind them.
            case POLLING -> !streaming.connected() && !progress.publishedWithin(settings.catchingUpLag())
                    ? CaptureState.STARTING
                    : progress.behindBy(settings.catchingUpLag()) ? CaptureState.CATCHING_UP : CaptureState.RUNNING;
        };
        if (now == CaptureState.RUNNING || now == CaptureState.CATCHING_UP) {
            error.set(null);
        }
        return new ServerHealth(server.name(), now, progress.processedGtid(), progress.lastGtid(),
                progress.lastSourceTime(),
                progress.lagMillis(), progress.events(), progress.eventsPerSecond(), progress.retries(),
                Optional.ofNullable(error.get()));
    }
}
