package dev.mitosis.capture.internal;

import dev.mitosis.capture.ServerHealth;
import dev.mitosis.connectors.capture.CaptureState;
import dev.mitosis.connectors.capture.CaptureStatus;
import dev.mitosis.connectors.capture.CaptureStatusStore;
import dev.mitosis.connectors.mariadb.GtidPosition;
import dev.mitosis.connectors.mariadb.ServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Publishes each server's {@link CaptureStatus} on {@code <prefix>.capture.health} from one scheduler thread: about
 * every {@code interval}, at once (within one tick) when a server's state changes or when its processed position
 * moved with nothing left to publish (the heartbeat after a last write: what the verifier's freshness and the purger
 * wait for), and a last record on {@link #close(Duration)}. Nothing here runs on an engine's thread, so a slow broker or server only delays
 * statuses, never capture; a broker outage is logged once and publishing goes on trying.
 */
public final class StatusPublisher {

    private static final Logger LOG = LoggerFactory.getLogger(StatusPublisher.class);
    /** How often state changes are looked for: a status a reader waits for is published at most this late. */
    static final Duration TICK = Duration.ofMillis(50);
    /** The {@code gtid_binlog_pos} sample: short, so a server that is away delays one status by seconds at most. */
    private static final Duration SAMPLE_TIMEOUT = Duration.ofSeconds(2);

    private final List<ServerCapture> captures;
    private final CaptureStatusStore store;
    private final Clock clock;
    private final Duration interval;
    private final Map<String, GtidSampler> samplers = new HashMap<>();
    private final Map<String, CaptureState> lastState = new HashMap<>();
    private final Map<String, Instant> lastPublished = new HashMap<>();
    private final Map<String, String> lastProcessed = new HashMap<>();
    private final Map<String, CaptureStatus> latest = new LinkedHashMap<>();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "capture-status");
        thread.setDaemon(true);
        return thread;
    });
    private ScheduledFuture<?> ticking;
    private boolean brokerAway;

    public StatusPublisher(List<ServerCapture> captures, CaptureStatusStore store, Clock clock, Duration interval) {
        this.captures = List.copyOf(captures);
        this.store = store;
        this.clock = clock;
        this.interval = interval;
        for (ServerCapture capture : captures) {
            samplers.put(capture.server().name(),
                    new GtidSampler(new ServerConnector(capture.server(), SAMPLE_TIMEOUT, SAMPLE_TIMEOUT)));
        }
    }

    public synchronized void start() {
        if (ticking == null) {
            ticking = scheduler.scheduleWithFixedDelay(this::tick, 0, TICK.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** The last status each server published (or tried to), in the worker's server order. */
    public synchronized List<CaptureStatus> latest() {
        return List.copyOf(latest.values());
    }

    private void tick() {
        try {
            Instant now = clock.instant();
            for (ServerCapture capture : captures) {
                String name = capture.server().name();
                ServerHealth health = capture.health();
                if (due(health, lastState.get(name), lastPublished.get(name), lastProcessed.get(name), now, interval)) {
                    publish(capture);
                }
            }
        } catch (RuntimeException e) {
            // A scheduled task that throws is never run again: keep the schedule alive whatever happened.
            LOG.warn("event=capture_status_failed reason=\"{}\"", e.toString());
        }
    }

    /**
     * Whether a server's status is due: its state changed, {@code interval} passed, or its processed position moved
     * while nothing is waiting to be published (lag 0: the batch was heartbeats only). Under steady writes a batch
     * holds rows, so that last case adds a record only when the writes stop, the moment a reader waiting for the
     * last write to be covered needs it, instead of up to an interval later.
     */
    static boolean due(ServerHealth health, CaptureState lastState, Instant lastPublished, String lastProcessed,
                       Instant now, Duration interval) {
        if (health.state() != lastState || lastPublished == null || !now.isBefore(lastPublished.plus(interval))) {
            return true;
        }
        String processed = health.processedGtid().orElse("");
        return health.lagMillis() == 0 && !processed.equals(lastProcessed);
    }

    private void publish(ServerCapture capture) {
        String name = capture.server().name();
        // The server's position first: a processed position read after it that covers it is caught up for sure.
        Optional<GtidPosition> serverGtid = sample(name);
        ServerHealth health = capture.health();
        CaptureStatus status = status(health, serverGtid, clock.instant());
        lastState.put(name, status.state());
        lastProcessed.put(name, health.processedGtid().orElse(""));
        lastPublished.put(name, status.publishedAt());
        synchronized (this) {
            latest.put(name, status);
        }
        try {
            store.publish(status);
            if (brokerAway) {
                brokerAway = false;
                LOG.info("event=capture_status_resumed topic={}", store.topic());
            }
        } catch (RuntimeException e) {
            if (!brokerAway) {
                brokerAway = true;
                LOG.warn("event=capture_status_unpublished topic={} reason=\"{}\" (capture goes on; retrying every {} ms)",
                        store.topic(), e.getMessage(), interval.toMillis());
            }
        }
    }

    private Optional<GtidPosition> sample(String server) {
        try {
            return Optional.of(samplers.get(server).gtidBinlogPos());
        } catch (SQLException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * @param serverGtid the server's {@code gtid_binlog_pos}, empty when it could not be read: then capture cannot be
     *                   shown caught up, and the transactions behind are unknown (-1)
     */
    static CaptureStatus status(ServerHealth health, Optional<GtidPosition> serverGtid, Instant now) {
        GtidPosition processed = health.processedGtid().map(StatusPublisher::lenientPosition)
                .orElse(GtidPosition.empty());
        boolean caughtUp = serverGtid.isPresent() && processed.covers(serverGtid.get());
        long behind = serverGtid.map(processed::transactionsBehind).orElse(-1L);
        long lag = caughtUp ? 0 : health.lastSourceTime()
                .map(t -> Math.max(0, now.toEpochMilli() - t.toEpochMilli())).orElse(-1L);
        return new CaptureStatus(health.server(), health.state(), processed.toString(),
                serverGtid.map(GtidPosition::toString).orElse(""), behind, lag, health.lastSourceTime().orElse(null),
                health.events(), health.eventsPerSecond(), health.retries(), health.error().orElse(null), now);
    }

    /** A GTID set as Debezium stores it; should it name a domain twice, the highest sequence of each domain counts. */
    static GtidPosition lenientPosition(String text) {
        try {
            return GtidPosition.parse(text);
        } catch (IllegalArgumentException twice) {
            Map<Long, GtidPosition.Gtid> highest = new LinkedHashMap<>();
            for (String part : text.split(",")) {
                if (!part.isBlank()) {
                    GtidPosition.Gtid gtid = GtidPosition.Gtid.parse(part);
                    highest.merge(gtid.domain(), gtid,
                            (a, b) -> Long.compareUnsigned(a.sequence(), b.sequence()) >= 0 ? a : b);
                }
            }
            return GtidPosition.parse(String.join(",", highest.values().stream().map(Object::toString).toList()));
        }
    }

    /**
     * Stops the schedule and publishes each server's final status (STOPPED or FAILED) on the same thread, so no
     * periodic record can land after it; waits at most {@code budget}, then closes the store.
     */
    public void close(Duration budget) {
        synchronized (this) {
            if (ticking == null) {
                scheduler.shutdownNow();
                store.close();
                samplers.values().forEach(GtidSampler::close);
                return;
            }
            ticking.cancel(false);
        }
        try {
            scheduler.submit(() -> captures.forEach(this::publish)).get(budget.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            LOG.warn("event=capture_status_final_unpublished reason=\"{}\"", e.toString());
        }
        scheduler.shutdownNow();
        store.close();
        samplers.values().forEach(GtidSampler::close);
    }
}
