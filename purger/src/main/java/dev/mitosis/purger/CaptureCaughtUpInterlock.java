package dev.mitosis.purger;

import dev.mitosis.connectors.capture.CaptureState;
import dev.mitosis.connectors.capture.CaptureStatus;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Interlock (4): capture of the purged server is healthy and caught up, so the before-image of every delete reaches
 * the archive (the change stream) it could be undone from. Holds when capture's newest status is RUNNING, at most
 * {@code purge.capture.status.max.age.ms} old and lags at most {@code purge.max.capture.lag.ms}. During a run the
 * throttle pauses on lag and staleness; only a capture that FAILED for good (a binlog gap: the archive has a hole)
 * stops the run.
 */
public final class CaptureCaughtUpInterlock implements Interlock {

    /** The interlock's name in refusals. */
    public static final String NAME = "capture healthy and caught up";

    private final String server;
    private final CaptureStatusSource capture;
    private final Duration maxAge;
    private final Duration maxLag;
    private final Clock clock;

    /**
     * @param server  the purged server's name
     * @param capture its newest capture status
     * @param maxAge  the oldest status that still tells about capture now
     * @param maxLag  the most capture may lag behind the binlog
     */
    public CaptureCaughtUpInterlock(String server, CaptureStatusSource capture, Duration maxAge, Duration maxLag,
                                    Clock clock) {
        this.server = server;
        this.capture = capture;
        this.maxAge = maxAge;
        this.maxLag = maxLag;
        this.clock = clock;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public InterlockResult check() {
        Optional<CaptureStatus> status;
        try {
            status = capture.latest();
        } catch (RuntimeException e) {
            return InterlockResult.refused(NAME, "cannot read capture's status: " + e.getMessage());
        }
        if (status.isEmpty()) {
            return InterlockResult.refused(NAME, "capture of " + server + " has published no status: is `mitosis"
                    + " capture` running for it?");
        }
        CaptureStatus s = status.get();
        Optional<String> why = s.whyNotCaughtUp(clock.instant(), maxAge, maxLag);
        if (why.isPresent()) {
            return InterlockResult.refused(NAME, why.get());
        }
        return InterlockResult.holds(NAME, "capture of " + server + " is " + s.state() + ", lag " + s.lagMillis()
                + " ms, processed " + s.processedGtid() + " (reported " + s.publishedAt() + ")");
    }

    @Override
    public InterlockResult checkDuringRun() {
        Optional<CaptureStatus> status;
        try {
            status = capture.latest();
        } catch (RuntimeException e) {
            return InterlockResult.holds(NAME, "capture's status unreadable now (" + e.getMessage()
                    + "): the throttle pauses");
        }
        if (status.isPresent() && status.get().state() == CaptureState.FAILED) {
            return InterlockResult.refused(NAME, "capture of " + server + " FAILED" + (status.get().error() == null
                    ? "" : ": " + status.get().error()) + "; deletes from now on would not be archived");
        }
        return InterlockResult.holds(NAME, status.map(s -> s.whyNotCaughtUp(clock.instant(), maxAge, maxLag)
                .map(why -> why + ": the throttle pauses").orElse("capture of " + server + " caught up"))
                .orElse("capture of " + server + " has no status now: the throttle pauses"));
    }
}
