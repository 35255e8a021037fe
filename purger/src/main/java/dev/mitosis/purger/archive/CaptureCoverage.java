package dev.mitosis.purger.archive;

import dev.mitosis.connectors.capture.CaptureStatus;
import dev.mitosis.connectors.mariadb.GtidPosition;
import dev.mitosis.connectors.time.Sleeper;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Whether capture has put every change of a server up to a GTID position into Kafka, from the status capture
 * publishes on {@code <prefix>.capture.health}. Until it has, the archive of that server may lack changes the
 * position includes. Waits a bounded time, since capture publishes about once a second and a position taken just
 * now is usually covered within a few.
 */
public final class CaptureCoverage {

    private static final Duration POLL = Duration.ofMillis(500);

    private final String server;
    private final Supplier<Optional<CaptureStatus>> status;
    private final Clock clock;
    private final Sleeper sleeper;

    /**
     * @param status the newest status of {@code server} (e.g. {@code CaptureStatusStore::latest})
     */
    public CaptureCoverage(String server, Supplier<Optional<CaptureStatus>> status, Clock clock, Sleeper sleeper) {
        this.server = Objects.requireNonNull(server, "server");
        this.status = Objects.requireNonNull(status, "status");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    }

    /**
     * Waits up to {@code wait} for a status that covers {@code position}.
     *
     * @return empty once covered, else why not (the last status seen, or that none was ever published)
     */
    public Optional<String> awaitCovers(GtidPosition position, Duration wait) throws InterruptedException {
        long deadline = clock.millis() + wait.toMillis();
        while (true) {
            Optional<String> why = whyNotCovered(position);
            if (why.isEmpty() || clock.millis() >= deadline) {
                return why;
            }
            sleeper.sleep(Duration.ofMillis(Math.min(POLL.toMillis(), Math.max(1, deadline - clock.millis()))));
        }
    }

    /** Empty if the newest status covers {@code position}, else why not. */
    public Optional<String> whyNotCovered(GtidPosition position) {
        Optional<CaptureStatus> latest;
        try {
            latest = status.get();
        } catch (RuntimeException e) {
            return Optional.of("cannot read capture's status of " + server + ": " + e.getMessage());
        }
        if (latest.isEmpty()) {
            return Optional.of("capture never published a status for " + server + ": is `mitosis capture` running"
                    + " for it?");
        }
        CaptureStatus s = latest.get();
        if (s.covers(position)) {
            return Optional.empty();
        }
        return Optional.of("capture of " + server + " has archived up to " + display(s.processedGtid())
                + ", the server is at " + position + " (" + s.state() + ", published " + s.publishedAt()
                + (s.error() == null ? "" : ", error: " + s.error()) + ")");
    }

    private static String display(String gtid) {
        return gtid == null || gtid.isBlank() ? "nothing" : gtid;
    }
}
