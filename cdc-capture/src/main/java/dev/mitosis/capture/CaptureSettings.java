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
 */
public record CaptureSettings(SnapshotMode snapshotMode, int replicaServerIdBase, Duration retryBackoffMin,
                              Duration retryBackoffMax, Duration catchingUpLag) {

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
    }

    /** No snapshot, ids from 5000, retries from 1 s doubling to 30 s, CATCHING_UP beyond 10 s of lag. */
    public static CaptureSettings defaults() {
        return new CaptureSettings(SnapshotMode.NONE, DEFAULT_REPLICA_SERVER_ID_BASE, Duration.ofSeconds(1),
                Duration.ofSeconds(30), Duration.ofSeconds(10));
    }

    public CaptureSettings withSnapshotMode(SnapshotMode mode) {
        return new CaptureSettings(mode, replicaServerIdBase, retryBackoffMin, retryBackoffMax, catchingUpLag);
    }

    public CaptureSettings withReplicaServerIdBase(int base) {
        return new CaptureSettings(snapshotMode, base, retryBackoffMin, retryBackoffMax, catchingUpLag);
    }

    public CaptureSettings withRetryBackoff(Duration min, Duration max) {
        return new CaptureSettings(snapshotMode, replicaServerIdBase, min, max, catchingUpLag);
    }
}
