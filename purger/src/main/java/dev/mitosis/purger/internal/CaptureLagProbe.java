package dev.mitosis.purger.internal;

import dev.mitosis.connectors.capture.CaptureStatus;
import dev.mitosis.purger.CaptureStatusSource;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * The throttle's capture cause: why the purge should wait for capture of the purged server, or empty when capture
 * is RUNNING, its status fresh and its lag within {@code purge.max.capture.lag.ms}. No status, a stale one or one
 * that cannot be read is a reason to wait: what cannot be measured pauses. Reads the status at most every
 * {@value #READ_INTERVAL_MS} ms (capture publishes about once a second).
 */
public final class CaptureLagProbe {

    static final long READ_INTERVAL_MS = 500;

    private final String server;
    private final CaptureStatusSource capture;
    private final Duration maxAge;
    private final Duration maxLag;
    private final Clock clock;
    private long readAtMs = Long.MIN_VALUE;
    private Optional<CaptureStatus> last = Optional.empty();
    private String readError;

    public CaptureLagProbe(String server, CaptureStatusSource capture, Duration maxAge, Duration maxLag, Clock clock) {
        this.server = server;
        this.capture = capture;
        this.maxAge = maxAge;
        this.maxLag = maxLag;
        this.clock = clock;
    }

    /** Why to pause for capture now, or empty to go on. */
    public synchronized Optional<String> whyPause() {
        long now = clock.millis();
        if (readAtMs == Long.MIN_VALUE || now - readAtMs >= READ_INTERVAL_MS) {
            readAtMs = now;
            try {
                last = capture.latest();
                readError = null;
            } catch (RuntimeException e) {
                readError = e.getMessage();
            }
        }
        if (readError != null) {
            return Optional.of("capture of " + server + " unknown: " + readError);
        }
        if (last.isEmpty()) {
            return Optional.of("capture of " + server + " unknown: no status published");
        }
        return last.get().whyNotCaughtUp(clock.instant(), maxAge, maxLag);
    }
}
