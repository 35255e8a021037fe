package dev.mitosis.purger.archive;

import dev.mitosis.connectors.capture.CaptureState;
import dev.mitosis.connectors.capture.CaptureStatus;
import dev.mitosis.connectors.mariadb.GtidPosition;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class CaptureCoverageTest {

    private Instant now = Instant.parse("2026-01-01T00:00:00Z");
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };

    private static CaptureStatus status(CaptureState state, String processed) {
        return new CaptureStatus("p0-a", state, processed, "0-1-10", 0, 0, null, 0, 0, 0, null,
                Instant.parse("2026-01-01T00:00:00Z"));
    }

    private CaptureCoverage coverage(Deque<Optional<CaptureStatus>> statuses) {
        return new CaptureCoverage("p0-a", () -> statuses.size() > 1 ? statuses.poll() : statuses.peek(), clock,
                d -> now = now.plus(d));
    }

    @Test
    void waitsUntilAStatusCoversThePosition() throws InterruptedException {
        Deque<Optional<CaptureStatus>> statuses = new ArrayDeque<>();
        statuses.add(Optional.of(status(CaptureState.RUNNING, "0-1-8")));
        statuses.add(Optional.of(status(CaptureState.RUNNING, "0-1-9")));
        statuses.add(Optional.of(status(CaptureState.RUNNING, "0-1-10")));

        assertThat(coverage(statuses).awaitCovers(GtidPosition.parse("0-1-10"), Duration.ofSeconds(30))).isEmpty();
        assertThat(now).isEqualTo(Instant.parse("2026-01-01T00:00:01Z"));
    }

    @Test
    void givesUpAtTheBoundNamingWhatCaptureArchived() throws InterruptedException {
        Deque<Optional<CaptureStatus>> statuses = new ArrayDeque<>();
        statuses.add(Optional.of(status(CaptureState.STOPPED, "0-1-8")));

        Optional<String> why = coverage(statuses).awaitCovers(GtidPosition.parse("0-1-10"), Duration.ofSeconds(3));

        assertThat(why).hasValueSatisfying(w -> assertThat(w).contains("has archived up to 0-1-8",
                "the server is at 0-1-10", "STOPPED"));
        assertThat(now).isEqualTo(Instant.parse("2026-01-01T00:00:03Z"));
    }

    @Test
    void noStatusAtAllIsNotCoverage() {
        Deque<Optional<CaptureStatus>> statuses = new ArrayDeque<>();
        statuses.add(Optional.empty());

        assertThat(coverage(statuses).whyNotCovered(GtidPosition.parse("0-1-1")))
                .hasValueSatisfying(w -> assertThat(w).contains("never published a status for p0-a"));
    }
}
