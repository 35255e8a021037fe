package dev.mitosis.capture;

import java.time.Duration;
import java.util.Objects;

/**
 * How capture runs, beyond the fleet's config.
 *
 * @param snapshotMode       what a first start reads
 * @param replicaServerIdBase the {@code server_id} of the first engine's binlog client; engine {@code i} (in topology
 *                            order) uses base + i. Must differ from every MariaDB server's id and from any other
 *                            capture process reading the same servers
 * @param retryBackoffMin    first delay before restarting a failed engine
 * @param retryBackoffMax    the cap of the doubling delay
 * @param catchingUpLag      an engine whose last event is older than this (source time) is CATCHING_UP
 * @param connectionSilence  a connected binlog client that reads nothing this long, not even the server's heartbeat
 *                           (every 0.8 s), while the engine's queue has room, is taken for a connection that died
 *                           silently: its engine is restarted from the stored offset
 */
public record CaptureSettings(SnapshotMode snapshotMode, int replicaServerIdBase, Duration retryBackoffMin,
                              Duration retryBackoffMax, Duration catchingUpLag, Duration connectionSilence) {

    public static final int DEFAULT_REPLICA_SERVER_ID_BASE = 5000;

    public CaptureSettings {
        Objects.requireNonNull(snapshotMode, "snapshotMode");
        if (replicaServerIdBase < 1) {
            throw new IllegalArgumentException("replicaServerIdBase " + replicaServerIdBase + " must be >= 1");
        }
        if (retryBackoffMin.isNegative() || retryBackoffMax.compareTo(retryBackoffMin) < 0) {
            throw new IllegalArgumentException("retry backoff " + retryBackoffMin + ".." + retryBackoffMax
                    + " must be non-negative and min <= max");
        }
        if (connectionSilence.compareTo(Duration.ofSeconds(2)) < 0) {
            throw new IllegalArgumentException("connectionSilence " + connectionSilence
                    + " must be at least 2 s: the server's heartbeat comes every 0.8 s");
        }
    }

    /**
     * No snapshot, ids from 5000, retries from 1 s doubling to 30 s, CATCHING_UP beyond 10 s of lag, a connection
     * silent for 30 s taken for dead.
     */
    public static CaptureSettings defaults() {
        return new CaptureSettings(SnapshotMode.NONE, DEFAULT_REPLICA_SERVER_ID_BASE, Duration.ofSeconds(1),
                Duration.ofSeconds(30), Duration.ofSeconds(10), Duration.ofSeconds(30));
    }

    public CaptureSettings withSnapshotMode(SnapshotMode mode) {
        return new CaptureSettings(mode, replicaServerIdBase, retryBackoffMin, retryBackoffMax, catchingUpLag,
                connectionSilence);
    }

    public CaptureSettings withReplicaServerIdBase(int base) {
        return new CaptureSettings(snapshotMode, base, retryBackoffMin, retryBackoffMax, catchingUpLag,
                connectionSilence);
    }

    public CaptureSettings withRetryBackoff(Duration min, Duration max) {
        return new CaptureSettings(snapshotMode, replicaServerIdBase, min, max, catchingUpLag, connectionSilence);
    }

    public CaptureSettings withConnectionSilence(Duration silence) {
        return new CaptureSettings(snapshotMode, replicaServerIdBase, retryBackoffMin, retryBackoffMax, catchingUpLag,
                silence);
    }
}
