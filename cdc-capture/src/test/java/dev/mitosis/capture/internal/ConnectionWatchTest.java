package dev.mitosis.capture.internal;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The engine is stopped once a client that was connected stays disconnected for the grace, and only then; an engine
 * that refuses the stop is asked again after each further grace.
 */
class DisconnectWatchTest {

    private static final Duration GRACE = Duration.ofMillis(300);
    private static final Duration EVERY = Duration.ofMillis(10);

    @Test
    void aClientDisconnectedForTheGraceStopsTheEngineOnce() {
        AtomicBoolean connected = new AtomicBoolean(true);
        AtomicInteger stops = new AtomicInteger();
        try (DisconnectWatch watch = new DisconnectWatch("s", connected::get, GRACE, EVERY,
                () -> stops.incrementAndGet() > 0).start()) {
            await().pollDelay(Duration.ofMillis(100)).atMost(Duration.ofSeconds(5)).until(() -> true);
            connected.set(false);
            await().atMost(Duration.ofSeconds(5)).until(() -> stops.get() == 1);
            await().pollDelay(GRACE.multipliedBy(2)).atMost(Duration.ofSeconds(5)).until(() -> true);
            assertThat(stops).hasValue(1);
        }
    }

    @Test
    void aClientNotYetConnectedOrBackWithinTheGraceIsLeftAlone() {
        AtomicBoolean connected = new AtomicBoolean(false);
        AtomicInteger stops = new AtomicInteger();
        try (DisconnectWatch watch = new DisconnectWatch("s", connected::get, GRACE, EVERY,
                () -> stops.incrementAndGet() > 0).start()) {
            // Starting: not connected yet for longer than the grace.
            await().pollDelay(GRACE.multipliedBy(2)).atMost(Duration.ofSeconds(5)).until(() -> true);
            connected.set(true);
            await().pollDelay(Duration.ofMillis(50)).atMost(Duration.ofSeconds(5)).until(() -> true);
            // A blip shorter than the grace.
            connected.set(false);
            await().pollDelay(GRACE.dividedBy(3)).atMost(Duration.ofSeconds(5)).until(() -> true);
            connected.set(true);
            await().pollDelay(GRACE.multipliedBy(2)).atMost(Duration.ofSeconds(5)).until(() -> true);
            assertThat(stops).hasValue(0);
        }
    }

    @Test
    void anEngineThatRefusesTheStopIsAskedAgainUntilItStops() {
        AtomicBoolean connected = new AtomicBoolean(true);
        AtomicInteger asked = new AtomicInteger();
        // Refuses twice (as Debezium's engine does while its tasks start), then stops.
        try (DisconnectWatch watch = new DisconnectWatch("s", connected::get, GRACE, EVERY,
                () -> asked.incrementAndGet() >= 3).start()) {
            await().pollDelay(Duration.ofMillis(50)).atMost(Duration.ofSeconds(5)).until(() -> true);
            connected.set(false);
            long start = System.nanoTime();
            await().atMost(Duration.ofSeconds(5)).until(() -> asked.get() == 3);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(GRACE.multipliedBy(3));
            await().pollDelay(GRACE.multipliedBy(2)).atMost(Duration.ofSeconds(5)).until(() -> true);
            assertThat(asked).as("asked no more once it stopped").hasValue(3);
        }
    }
}
