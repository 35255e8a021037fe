package dev.mitosis.capture.internal;

import com.codahale.metrics.MetricRegistry;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

class CaptureProgressTest {

    /** A clock the test moves. */
    private static final class ManualClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

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
    }

    @Test
    void behindWhileOldEventsFlowCaughtUpWhenIdle() {
        ManualClock clock = new ManualClock();
        MetricRegistry registry = new MetricRegistry();
        CaptureProgress progress = new CaptureProgress("p0-a", registry, clock);
        Duration bound = Duration.ofSeconds(10);
        assertThat(progress.behindBy(bound)).isFalse();

        progress.published(100, "1-1-7", clock.now.minusSeconds(30));
        assertThat(progress.lagMillis()).isEqualTo(30_000);
        assertThat(progress.behindBy(bound)).isTrue();
        assertThat(progress.lastGtid()).hasValue("1-1-7");
        assertThat(progress.events()).isEqualTo(100);
        assertThat(registry.getGauges()).containsKey("capture.p0-a.lag.ms");

        clock.now = clock.now.plusSeconds(11);
        assertThat(progress.behindBy(bound)).as("nothing new for longer than the bound").isFalse();

        progress.published(1, "1-1-8", clock.now.minusMillis(20));
        assertThat(progress.behindBy(bound)).isFalse();

        progress.published(5, "1-1-9", clock.now.minusSeconds(40));
        assertThat(progress.behindBy(bound)).isTrue();
        progress.heartbeat();
        assertThat(progress.lagMillis()).isZero();
        assertThat(progress.behindBy(bound)).as("a heartbeat: nothing in scope waits").isFalse();
    }
}
