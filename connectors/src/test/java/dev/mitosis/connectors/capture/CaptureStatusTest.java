package dev.mitosis.connectors.capture;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mitosis.connectors.mariadb.GtidPosition;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CaptureStatusTest {

    private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");

    @Test
    void aFreshRunningStatusWithinTheLagBoundIsCaughtUp() {
        assertThat(status(CaptureState.RUNNING, 200, NOW.minusMillis(500))
                .whyNotCaughtUp(NOW, Duration.ofSeconds(5), Duration.ofSeconds(1))).isEmpty();
    }

    @Test
    void eachReasonNamesTheServerAndTheMeasure() {
        assertThat(status(CaptureState.RETRYING, 0, NOW).whyNotCaughtUp(NOW, Duration.ofSeconds(5), Duration.ofSeconds(1)))
                .hasValueSatisfying(why -> assertThat(why).contains("s1a", "RETRYING", "broker down"));
        assertThat(status(CaptureState.RUNNING, 0, NOW.minusSeconds(30)).whyNotCaughtUp(NOW, Duration.ofSeconds(5), Duration.ofSeconds(1)))
                .hasValueSatisfying(why -> assertThat(why).contains("s1a", "30000 ms ago", "mitosis capture"));
        assertThat(status(CaptureState.RUNNING, 4_000, NOW).whyNotCaughtUp(NOW, Duration.ofSeconds(5), Duration.ofSeconds(1)))
                .hasValueSatisfying(why -> assertThat(why).contains("lags 4000 ms", "7 transactions", "limit 1000 ms"));
        assertThat(status(CaptureState.RUNNING, -1, NOW).whyNotCaughtUp(NOW, Duration.ofSeconds(5), Duration.ofSeconds(1)))
                .hasValueSatisfying(why -> assertThat(why).contains("unknown"));
    }

    @Test
    void coversComparesTheProcessedPositionPerDomain() {
        CaptureStatus status = status(CaptureState.RUNNING, 0, NOW);
        assertThat(status.covers(GtidPosition.parse("0-1-100"))).isTrue();
        assertThat(status.covers(GtidPosition.parse("0-1-101"))).isFalse();
        assertThat(status.covers(GtidPosition.parse("0-1-5,1-2-1"))).isFalse();
    }

    @Test
    void theJsonFormRoundTrips() {
        CaptureStatus status = status(CaptureState.CATCHING_UP, 1234, NOW);
        assertThat(CaptureStatusStore.read(CaptureStatusStore.write(status))).isEqualTo(status);
        assertThat(new String(CaptureStatusStore.write(status))).contains("\"publishedAt\":\"2026-11-23T12:00:00Z\"");
    }

    private static CaptureStatus status(CaptureState state, long lag, Instant publishedAt) {
        return new CaptureStatus("s1a", state, "0-1-100", "0-1-107", 7, lag, NOW.minusSeconds(1), 10, 2.5, 1,
                state == CaptureState.RETRYING ? "broker down" : null, publishedAt);
    }
}
