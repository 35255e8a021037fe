package dev.mitosis.capture.internal;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The engine is stopped once a client that was connected stays disconnected for the grace, or stays connected but
 * reads nothing for the silence while its queue has room, and only then; an engine that refuses the stop is asked
 * again.
 */
class ConnectionWatchTest {

    private static final Duration GRACE = Duration.ofMillis(300);
    private static final Duration SILENCE = Duration.ofMillis(600);
    private static final Duration EVERY = Duration.ofMillis(10);
    private static final StreamingProbe.Sample DISCONNECTED = StreamingProbe.Sample.NONE;

    private static StreamingProbe.Sample reading(long events) {
        return new StreamingProbe.Sample(true, events, false);
    }

    private static ConnectionWatch watch(AtomicReference<StreamingProbe.Sample> state, AtomicInteger stops) {
        return new ConnectionWatch("s", state::get, GRACE, SILENCE, EVERY, () -> stops.incrementAndGet() > 0).start();
    }

    /** Holds the current state for {@code time}: not a condition to wait for, the duration under test. */
    private static void hold(Duration time) {
        await().pollDelay(time).atMost(time.plusSeconds(5)).until(() -> true);
    }

    /** Keeps the client reading (a heartbeat every 50 ms) for {@code time}. */
    private static void heartbeats(AtomicReference<StreamingProbe.Sample> state, Duration time) {
        long end = System.nanoTime() + time.toNanos();
        while (System.nanoTime() < end) {
            state.set(reading(state.get().eventsSeen() + 1));
            hold(Duration.ofMillis(50));
        }
    }

    @Test
    void aClientDisconnectedForTheGraceStopsTheEngineOnce() {
        AtomicReference<StreamingProbe.Sample> state = new AtomicReference<>(reading(1));
        AtomicInteger stops = new AtomicInteger();
        try (ConnectionWatch watch = watch(state, stops)) {
            heartbeats(state, Duration.ofMillis(100));
            state.set(DISCONNECTED);
            await().atMost(Duration.ofSeconds(5)).until(() -> stops.get() == 1);
            hold(GRACE.multipliedBy(2));
            assertThat(stops).hasValue(1);
        }
    }

    @Test
    void aClientNotYetConnectedOrBackWithinTheGraceIsLeftAlone() {
        AtomicReference<StreamingProbe.Sample> state = new AtomicReference<>(DISCONNECTED);
        AtomicInteger stops = new AtomicInteger();
        try (ConnectionWatch watch = watch(state, stops)) {
            // Starting: not connected yet for longer than the grace.
            hold(GRACE.multipliedBy(2));
            heartbeats(state, Duration.ofMillis(50));
            // A blip shorter than the grace.
            state.set(DISCONNECTED);
            hold(GRACE.dividedBy(3));
            heartbeats(state, SILENCE.multipliedBy(2));
            assertThat(stops).hasValue(0);
        }
    }

    @Test
    void aConnectedClientThatReadsNothingForTheSilenceStopsTheEngine() {
        AtomicReference<StreamingProbe.Sample> state = new AtomicReference<>(reading(1));
        AtomicInteger stops = new AtomicInteger();
        try (ConnectionWatch watch = watch(state, stops)) {
            heartbeats(state, Duration.ofMillis(100));
            long silentFrom = System.nanoTime();
            await().atMost(Duration.ofSeconds(5)).until(() -> stops.get() == 1);
            assertThat(Duration.ofNanos(System.nanoTime() - silentFrom)).isGreaterThanOrEqualTo(SILENCE);
        }
    }

    @Test
    void aReaderBlockedBehindAFullQueueIsNotSilent() {
        AtomicReference<StreamingProbe.Sample> state = new AtomicReference<>(reading(1));
        AtomicInteger stops = new AtomicInteger();
        try (ConnectionWatch watch = watch(state, stops)) {
            heartbeats(state, Duration.ofMillis(100));
            // Capture waits for the broker: the queue is full and the reader blocked, reading nothing.
            state.set(new StreamingProbe.Sample(true, state.get().eventsSeen(), true));
            hold(SILENCE.multipliedBy(2));
            assertThat(stops).hasValue(0);
            // The queue drains and the reader goes on: still alive.
            heartbeats(state, SILENCE.multipliedBy(2));
            assertThat(stops).hasValue(0);
        }
    }

    @Test
    void anEngineThatRefusesTheStopIsAskedAgainUntilItStops() {
        AtomicReference<StreamingProbe.Sample> state = new AtomicReference<>(reading(1));
        AtomicInteger asked = new AtomicInteger();
        // Refuses twice (as Debezium's engine does while its tasks start), then stops.
        try (ConnectionWatch watch = new ConnectionWatch("s", state::get, GRACE, SILENCE, EVERY,
                () -> asked.incrementAndGet() >= 3).start()) {
            heartbeats(state, Duration.ofMillis(100));
            state.set(DISCONNECTED);
            long start = System.nanoTime();
            await().atMost(Duration.ofSeconds(5)).until(() -> asked.get() == 3);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(GRACE.multipliedBy(3));
            hold(GRACE.multipliedBy(2));
            assertThat(asked).as("asked no more once it stopped").hasValue(3);
        }
    }
}
