package dev.mitosis.purger;

import dev.mitosis.connectors.capture.CaptureState;
import dev.mitosis.connectors.capture.CaptureStatus;
import dev.mitosis.connectors.mariadb.GtidPosition;
import dev.mitosis.connectors.time.Sleeper;
import dev.mitosis.purger.internal.ArchiveWaiter;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Interlock (4): capture of the purged server is healthy and caught up, so the before-image of every delete reaches
 * the archive (the change stream) it could be undone from. Holds when capture's newest status is RUNNING, at most
 * {@code purge.capture.status.max.age.ms} old, and covers the server's {@code gtid_binlog_pos} read at the check
 * within {@code purge.max.capture.lag.ms}: capture has processed all the server had, at most that late. During a run
 * the throttle pauses on lag and staleness; only a capture that FAILED for good (a binlog gap: the archive has a
 * hole) stops the run.
 */
public final class CaptureCaughtUpInterlock implements Interlock {

    /** The interlock's name in refusals. */
    public static final String NAME = "capture healthy and caught up";
    private static final Duration POLL = Duration.ofMillis(200);

    private final String server;
    private final ServerSessions sessions;
    private final CaptureStatusSource capture;
    private final Duration maxAge;
    private final Duration maxLag;
    private final Clock clock;
    private final Sleeper sleeper;

    /**
     * @param server   the purged server's name
     * @param sessions sessions to it, for its GTID position
     * @param capture  its newest capture status
     * @param maxAge   the oldest status that still tells about capture now
     * @param maxLag   the most capture may lag behind the binlog
     */
    public CaptureCaughtUpInterlock(String server, ServerSessions sessions, CaptureStatusSource capture,
                                    Duration maxAge, Duration maxLag, Clock clock, Sleeper sleeper) {
        this.server = server;
        this.sessions = sessions;
        this.capture = capture;
        this.maxAge = maxAge;
        this.maxLag = maxLag;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public InterlockResult check() {
        try {
            Optional<CaptureStatus> status = capture.latest();
            Optional<String> unhealthy = unhealthy(status);
            if (unhealthy.isPresent()) {
                return InterlockResult.refused(NAME, unhealthy.get());
            }
            GtidPosition position = ArchiveWaiter.binlogPosition(sessions);
            long start = clock.millis();
            while (!status.orElseThrow().covers(position)) {
                if (clock.millis() - start > maxLag.toMillis()) {
                    return InterlockResult.refused(NAME, "capture of " + server + " has not processed " + position
                            + " (the server's position " + (clock.millis() - start) + " ms ago; processed "
                            + status.get().processedGtid() + ", limit " + maxLag.toMillis() + " ms)");
                }
                sleeper.sleep(POLL);
                status = capture.latest();
                unhealthy = unhealthy(status);
                if (unhealthy.isPresent()) {
                    return InterlockResult.refused(NAME, unhealthy.get());
                }
            }
            CaptureStatus s = status.get();
            return InterlockResult.holds(NAME, "capture of " + server + " is " + s.state() + " and processed "
                    + s.processedGtid() + ", covering the server's position " + position + " (reported "
                    + s.publishedAt() + ")");
        } catch (SQLException e) {
            return InterlockResult.refused(NAME, "cannot read the GTID position of " + server + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return InterlockResult.refused(NAME, "interrupted");
        } catch (RuntimeException e) {
            return InterlockResult.refused(NAME, "cannot read capture's status: " + e.getMessage());
        }
    }

    /** Why the status does not show a healthy, current capture, or empty. */
    private Optional<String> unhealthy(Optional<CaptureStatus> status) {
        if (status.isEmpty()) {
            return Optional.of("capture of " + server + " has published no status: is `mitosis capture` running for"
                    + " it?");
        }
        CaptureStatus s = status.get();
        if (s.state() != CaptureState.RUNNING) {
            return Optional.of("capture of " + server + " is " + s.state() + (s.error() == null ? "" : ": " + s.error()));
        }
        long age = Duration.between(s.publishedAt(), clock.instant()).toMillis();
        if (age > maxAge.toMillis()) {
            return Optional.of("capture of " + server + " last reported " + age + " ms ago (limit " + maxAge.toMillis()
                    + " ms): is `mitosis capture` running?");
        }
        return Optional.empty();
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
        return InterlockResult.holds(NAME, unhealthy(status).map(why -> why + ": the throttle pauses")
                .orElse("capture of " + server + " is running; the throttle watches its lag"));
    }
}
