package dev.mitosis.purger.internal;

import dev.mitosis.connectors.capture.CaptureState;
import dev.mitosis.connectors.capture.CaptureStatus;
import dev.mitosis.connectors.mariadb.GtidPosition;
import dev.mitosis.purger.CaptureStatusSource;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * The throttle's capture cause: why the purge should wait for capture of the purged server, or empty when capture
 * is RUNNING, its status fresh and it lags at most {@code purge.max.capture.lag.ms}. Lag is measured against the
 * server's own positions, sampled here every {@value #SAMPLE_INTERVAL_MS} ms: it is how long ago the server stood at
 * the newest sampled position that capture's processed position covers (like the heartbeat for replicas). Capture's
 * own {@code lagMillis} cannot serve: while the purge pauses, only its heartbeat rows (in a schema capture does not
 * publish) move the server, and a lag counted from the last published event would grow until nothing resumes. No
 * status, a stale one, or a status or position that cannot be read is a reason to wait: what cannot be measured
 * pauses.
 */
public final class CaptureLagProbe {

    static final long SAMPLE_INTERVAL_MS = 500;
    /** Enough samples to tell any lag up to 10 minutes; older ones go (and the lag is at least the oldest's age). */
    private static final int MAX_SAMPLES = 1_200;

    /** Reads the purged server's {@code gtid_binlog_pos}. */
    @FunctionalInterface
    public interface PositionSource {
        GtidPosition position() throws SQLException;
    }

    private record Sample(long atMs, GtidPosition position) {
    }

    private final String server;
    private final CaptureStatusSource capture;
    private final PositionSource positions;
    private final Duration maxAge;
    private final Duration maxLag;
    private final Clock clock;
    private final Deque<Sample> samples = new ArrayDeque<>();
    private long sampledAtMs = Long.MIN_VALUE;
    private Optional<String> decision = Optional.of("capture not sampled yet");

    public CaptureLagProbe(String server, CaptureStatusSource capture, PositionSource positions, Duration maxAge,
                           Duration maxLag, Clock clock) {
        this.server = server;
        this.capture = capture;
        this.positions = positions;
        this.maxAge = maxAge;
        this.maxLag = maxLag;
        this.clock = clock;
    }

    /** Why to pause for capture now, or empty to go on; samples at most every {@value #SAMPLE_INTERVAL_MS} ms. */
    public synchronized Optional<String> whyPause() {
        long now = clock.millis();
        if (sampledAtMs == Long.MIN_VALUE || now - sampledAtMs >= SAMPLE_INTERVAL_MS) {
            sampledAtMs = now;
            decision = sample(now);
        }
        return decision;
    }

    private Optional<String> sample(long now) {
        try {
            samples.addLast(new Sample(now, positions.position()));
            while (samples.size() > MAX_SAMPLES) {
                samples.removeFirst();
            }
        } catch (SQLException e) {
            return Optional.of("capture of " + server + " unknown: cannot read the server's GTID position: "
                    + e.getMessage());
        }
        Optional<CaptureStatus> read;
        try {
            read = capture.latest();
        } catch (RuntimeException e) {
            return Optional.of("capture of " + server + " unknown: " + e.getMessage());
        }
        if (read.isEmpty()) {
            return Optional.of("capture of " + server + " unknown: no status published");
        }
        CaptureStatus status = read.get();
        if (status.state() != CaptureState.RUNNING) {
            return Optional.of("capture of " + server + " is " + status.state()
                    + (status.error() == null ? "" : ": " + status.error()));
        }
        long age = now - status.publishedAt().toEpochMilli();
        if (age > maxAge.toMillis()) {
            return Optional.of("capture of " + server + " last reported " + age + " ms ago (limit " + maxAge.toMillis()
                    + " ms): is `mitosis capture` running?");
        }
        long lag = lagMs(status, now);
        if (lag < 0) {
            Sample oldest = samples.getFirst();
            return Optional.of("capture of " + server + " has not processed " + oldest.position() + " yet (the server's"
                    + " position " + (now - oldest.atMs()) + " ms ago; processed " + status.processedGtid() + ")");
        }
        if (lag > maxLag.toMillis()) {
            return Optional.of("capture of " + server + " lags " + lag + " ms behind the binlog (processed "
                    + status.processedGtid() + ", server at " + samples.getLast().position() + "; limit "
                    + maxLag.toMillis() + " ms)");
        }
        return Optional.empty();
    }

    /**
     * How long ago the server stood at the newest sampled position capture has processed; with none processed, the
     * age of the oldest sample once that is past the limit, else -1 (not known yet: wait).
     */
    private long lagMs(CaptureStatus status, long now) {
        Sample covered = null;
        for (Sample s : samples) {
            if (status.covers(s.position())) {
                covered = s;
            }
        }
        if (covered == null) {
            long oldest = now - samples.getFirst().atMs();
            return oldest > maxLag.toMillis() ? oldest : -1;
        }
        // Older samples tell nothing more: capture is past them.
        while (samples.getFirst() != covered) {
            samples.removeFirst();
        }
        Sample newest = samples.getLast();
        return newest == covered ? 0 : now - covered.atMs();
    }
}
