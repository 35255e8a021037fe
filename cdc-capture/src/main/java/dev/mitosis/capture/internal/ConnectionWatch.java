package dev.mitosis.capture.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Stops an engine whose binlog client lost its connection. The client's own keep-alive is off (it would reconnect
 * past the transaction under way, see {@link EngineProperties}), and a server that goes away in an orderly way
 * only disconnects the client without failing the engine, which would then wait forever. Once the client was
 * connected, a disconnection that lasts {@code grace} stops the engine, and capture restarts it from the stored
 * offset like after any failure. An engine that refuses the stop (Debezium's does while its tasks start or stop) is
 * asked again after each further grace, so a dead connection never leaves capture waiting.
 */
final class DisconnectWatch implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DisconnectWatch.class);

    private final BooleanSupplier connected;
    private final Duration grace;
    private final Duration every;
    private final BooleanSupplier stopEngine;
    private final String server;
    private final CountDownLatch closed = new CountDownLatch(1);
    private final Thread thread;

    /**
     * @param connected  whether the binlog client is connected now
     * @param grace      how long a disconnection may last before the engine is stopped
     * @param every      how often to look
     * @param stopEngine stops the engine, on the watch's thread; false if the engine refused to stop now
     */
    DisconnectWatch(String server, BooleanSupplier connected, Duration grace, Duration every,
                    BooleanSupplier stopEngine) {
        this.server = server;
        this.connected = connected;
        this.grace = grace;
        this.every = every;
        this.stopEngine = stopEngine;
        this.thread = new Thread(this::watch, "capture-disconnect-watch-" + server);
        this.thread.setDaemon(true);
    }

    DisconnectWatch start() {
        thread.start();
        return this;
    }

    private void watch() {
        try {
            boolean seenConnected = false;
            long disconnectedSince = 0;
            int attempts = 0;
            while (!closed.await(every.toMillis(), TimeUnit.MILLISECONDS)) {
                if (connected.getAsBoolean()) {
                    seenConnected = true;
                    disconnectedSince = 0;
                } else if (seenConnected) {
                    long now = System.nanoTime();
                    if (disconnectedSince == 0) {
                        disconnectedSince = now;
                    } else if (now - disconnectedSince >= grace.toNanos()) {
                        attempts++;
                        LOG.warn("event=capture_disconnected server={} after_ms={} attempt={}"
                                + " action=restart_from_stored_offset", server, grace.toMillis() * attempts, attempts);
                        if (stopEngine.getAsBoolean()) {
                            return;
                        }
                        disconnectedSince = now;
                    }
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
