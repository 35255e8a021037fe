package dev.mitosis.capture.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
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
 *   {@link EngineProperties#KEEP_ALIVE_INTERVAL_MS} when it has nothing else, so a client that reads no event for {@code silence} while the engine's queue has room
 *   (a full queue blocks the reader: capture waits for the broker then, which is not the connection's fault) is
 *   taken for dead too.</li>
 * </ul>
 * An engine that refuses the stop (Debezium's does while its tasks start or stop) is asked again after each further
 * grace, so a dead connection never leaves capture waiting.
 */
final class ConnectionWatch implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionWatch.class);

    private final String server;
    private final Supplier<StreamingProbe.Sample> probe;
    private final Duration grace;
    private final Duration silence;
    private final Duration every;
    private final BooleanSupplier stopEngine;
    private final CountDownLatch closed = new CountDownLatch(1);
    private final Thread thread;

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

    private void watch() {
        try {
            boolean seenConnected = false;
            long disconnectedSince = 0;
            long events = -1;
            long quietSince = 0;
            int attempts = 0;
            while (!closed.await(every.toMillis(), TimeUnit.MILLISECONDS)) {
                StreamingProbe.Sample now = probe.get();
                long at = System.nanoTime();
                String reason = null;
                if (now.connected()) {
                    seenConnected = true;
                    disconnectedSince = 0;
                    if (now.eventsSeen() != events || now.queueFull()) {
                        events = now.eventsSeen();
                        quietSince = at;
                    } else if (at - quietSince >= silence.toNanos()) {
                        reason = "silent";
                    }
                } else if (seenConnected) {
                    if (disconnectedSince == 0) {
                        disconnectedSince = at;
                    } else if (at - disconnectedSince >= grace.toNanos()) {
                        reason = "disconnected";
                    }
                }
                if (reason != null) {
                    attempts++;
                    LOG.warn("event=capture_connection_lost server={} reason={} for_ms={} attempt={}"
                                    + " action=restart_from_stored_offset", server, reason,
                            (at - (reason.equals("silent") ? quietSince : disconnectedSince)) / 1_000_000, attempts);
                    if (stopEngine.getAsBoolean()) {
                        return;
                    }
                    // Refused: ask again once the same state has lasted as long again.
                    disconnectedSince = at;
                    quietSince = at;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closed.countDown();
    }
}
