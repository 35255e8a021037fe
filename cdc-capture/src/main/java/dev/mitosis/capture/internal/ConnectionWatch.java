package dev.mitosis.capture.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Stops an engine whose binlog connection is gone, so that capture restarts it from the stored offset like after
 * any failure. The client's own keep-alive is off (it would reconnect past the transaction under way, see
 * {@link EngineProperties}), so two cases are left to this watch:
 * <ul>
 *   <li>a server that goes away in an orderly way disconnects the client without failing the engine, which would
 *   then wait forever: a client that was connected and stays disconnected for {@code grace} stops the engine;</li>
 *   <li>a connection that dies silently (the host or the network gone, no close ever arrives) leaves the client
 *   "connected" and reading nothing: the server sends a heartbeat every 0.8 ×
 *   {@link EngineProperties#KEEP_ALIVE_INTERVAL_MS} when it has nothing else, so a client that reads no event for
 *   {@code silence} while the engine's queue has room (a full queue blocks the reader: capture waits for the broker
 *   then, which is not the connection's fault) is taken for dead too.</li>
 * </ul>
 * An engine that refuses the stop (Debezium's does while its tasks start or stop) is asked again after each further
 * grace, so a dead connection never leaves capture waiting.
 */
final class ConnectionWatch implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionWatch.class);
    /** No time yet: {@link System#nanoTime()} may be any value, 0 included, so "none" is held apart. */
    private static final long NEVER = Long.MIN_VALUE;

    private final String server;
    private final Supplier<StreamingProbe.Sample> probe;
    private final Duration grace;
    private final Duration silence;
    private final Duration every;
    private final BooleanSupplier stopEngine;
    private final CountDownLatch closed = new CountDownLatch(1);
    private final Thread thread;

    private boolean seenConnected;
    private long disconnectedSince = NEVER;
    private long events;
    private long quietSince = NEVER;
    private int attempts;

    /**
     * @param probe      the binlog client's state now
     * @param grace      how long a disconnection may last before the engine is stopped
     * @param silence    how long a connected client may read nothing, its queue not full, before it is taken for dead
     * @param every      how often to look
     * @param stopEngine stops the engine, on the watch's thread; false if the engine refused to stop now
     */
    ConnectionWatch(String server, Supplier<StreamingProbe.Sample> probe, Duration grace, Duration silence,
                    Duration every, BooleanSupplier stopEngine) {
        this.server = server;
        this.probe = probe;
        this.grace = grace;
        this.silence = silence;
        this.every = every;
        this.stopEngine = stopEngine;
        this.thread = new Thread(this::watch, "capture-connection-watch-" + server);
        this.thread.setDaemon(true);
    }

    ConnectionWatch start() {
        thread.start();
        return this;
    }

    /** Whether the watch still looks: it ends once the engine accepted a stop, or on {@link #close()}. */
    boolean watching() {
        return thread.isAlive();
    }

    private void watch() {
        try {
            while (!closed.await(every.toMillis(), TimeUnit.MILLISECONDS)) {
                Optional<Lost> lost = observe(probe.get(), System.nanoTime());
                if (lost.isPresent()) {
                    LOG.warn("event=capture_connection_lost server={} reason={} for_ms={} attempt={}"
                                    + " action=restart_from_stored_offset", server, lost.get().reason(),
                            lost.get().forMillis(), lost.get().attempt());
                    if (stopEngine.getAsBoolean()) {
                        return;
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Why the engine is to be stopped: {@code disconnected} or {@code silent}, for how long, which attempt. */
    record Lost(String reason, long forMillis, int attempt) {
    }

    /**
     * Takes one look at the client at {@code nanos} ({@link System#nanoTime()}'s scale): the connection found lost,
     * or empty. Once lost, the same state must last as long again before it is reported again, so an engine that
     * refused the stop is asked after each further grace (or silence).
     */
    Optional<Lost> observe(StreamingProbe.Sample now, long nanos) {
        if (now.connected()) {
            seenConnected = true;
            disconnectedSince = NEVER;
            if (now.eventsSeen() != events || now.queueFull() || quietSince == NEVER) {
                events = now.eventsSeen();
                quietSince = nanos;
            } else if (nanos - quietSince >= silence.toNanos()) {
                return Optional.of(lost("silent", nanos, quietSince));
            }
        } else if (seenConnected) {
            if (disconnectedSince == NEVER) {
                disconnectedSince = nanos;
            } else if (nanos - disconnectedSince >= grace.toNanos()) {
                return Optional.of(lost("disconnected", nanos, disconnectedSince));
            }
        }
        return Optional.empty();
    }

    private Lost lost(String reason, long nanos, long since) {
        attempts++;
        disconnectedSince = nanos;
        quietSince = nanos;
        return new Lost(reason, (nanos - since) / 1_000_000, attempts);
    }

    @Override
    public void close() {
        closed.countDown();
    }
}
