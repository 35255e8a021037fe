package dev.mitosis.capture.internal;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The engine is stopped once a client that was connected stays disconnected for the grace, or stays connected but
 * reads nothing for the silence while its queue has room, and only then; an engine that refuses the stop is asked
 * again. Each look is given its time, so the rules are tested without waiting for them; on its thread, the watch
 * asks until the engine accepts a stop, then ends (capture's ITs run it against a server restart and a silenced
 * connection).
 */
class ConnectionWatchTest {

    private static final long MS = 1_000_000;
    private static final Duration GRACE = Duration.ofMillis(300);
    private static final Duration SILENCE = Duration.ofMillis(600);
    private static final StreamingProbe.Sample DISCONNECTED = StreamingProbe.Sample.NONE;

    private final ConnectionWatch watch = new ConnectionWatch("s", () -> DISCONNECTED, GRACE, SILENCE,
            Duration.ofMillis(10), () -> true);

    private static StreamingProbe.Sample reading(long events) {
        return new StreamingProbe.Sample(true, events, false);
    }

    /** Looks every 10 ms from {@code fromMs} to {@code toMs} at a client reading a heartbeat each look. */
    private long heartbeats(long events, long fromMs, long toMs) {
        for (long t = fromMs; t <= toMs; t += 10) {
            assertThat(watch.observe(reading(++events), t * MS)).as("at %d ms", t).isEmpty();
        }
        return events;
    }

    /** A look that found the connection lost, at {@code ms}. */
    private record At(long ms, ConnectionWatch.Lost lost) {
    }

    private static At at(long ms, String reason, long forMillis, int attempt) {
        return new At(ms, new ConnectionWatch.Lost(reason, forMillis, attempt));
    }

    /** The first look from {@code fromMs} on (every 10 ms) at which the watch says the connection is lost. */
    private Optional<At> firstLost(StreamingProbe.Sample sample, long fromMs, long toMs) {
        for (long t = fromMs; t <= toMs; t += 10) {
            Optional<ConnectionWatch.Lost> lost = watch.observe(sample, t * MS);
            if (lost.isPresent()) {
                return Optional.of(new At(t, lost.get()));
            }
        }
        return Optional.empty();
    }

    @Test
    void aClientDisconnectedForTheGraceIsLost() {
        heartbeats(0, 0, 100);
        // Seen disconnected first at 110 ms: lost at 110 + 300.
        assertThat(firstLost(DISCONNECTED, 110, 2_000)).contains(at(410, "disconnected", 300, 1));
    }

    @Test
    void aClientNotYetConnectedOrBackWithinTheGraceIsLeftAlone() {
        // Starting: not connected yet for far longer than the grace.
        assertThat(firstLost(DISCONNECTED, 0, 2_000)).isEmpty();
        long events = heartbeats(0, 2_010, 2_100);
        // A blip shorter than the grace.
        assertThat(firstLost(DISCONNECTED, 2_110, 2_300)).isEmpty();
        heartbeats(events, 2_310, 4_000);
    }

    @Test
    void aConnectedClientThatReadsNothingForTheSilenceIsLost() {
        long events = heartbeats(0, 0, 100);
        // Last event read at 100 ms: lost at 100 + 600.
        assertThat(firstLost(reading(events), 110, 3_000)).contains(at(700, "silent", 600, 1));
    }

    @Test
    void aReaderBlockedBehindAFullQueueIsNotSilent() {
        long events = heartbeats(0, 0, 100);
        // Capture waits for the broker: the queue is full and the reader blocked, reading nothing.
        assertThat(firstLost(new StreamingProbe.Sample(true, events, true), 110, 3_000)).isEmpty();
        // The queue drains and the reader goes on: still alive.
        heartbeats(events, 3_010, 5_000);
    }

    @Test
    void anEngineThatRefusedTheStopIsAskedAgainAfterEachFurtherGrace() {
        heartbeats(0, 0, 100);
        assertThat(firstLost(DISCONNECTED, 110, 2_000)).contains(at(410, "disconnected", 300, 1));
        assertThat(firstLost(DISCONNECTED, 420, 2_000)).contains(at(710, "disconnected", 300, 2));
        assertThat(firstLost(DISCONNECTED, 720, 2_000)).contains(at(1_010, "disconnected", 300, 3));
    }

    /** A client that read one event and then lost its connection, as the watch's thread sees it. */
    private static StreamingProbe.Sample connectedThenGone(AtomicLong looks) {
        return looks.incrementAndGet() <= 2 ? reading(1) : DISCONNECTED;
    }

    @Test
    void onItsThreadTheWatchStopsTheEngineOnceAndEnds() {
        AtomicLong looks = new AtomicLong();
        AtomicInteger stops = new AtomicInteger();
        try (ConnectionWatch running = new ConnectionWatch("s", () -> connectedThenGone(looks), GRACE, SILENCE,
                Duration.ofMillis(10), () -> stops.incrementAndGet() > 0).start()) {
            await().atMost(Duration.ofSeconds(5)).until(() -> !running.watching());
            assertThat(stops).as("stopped once, then the watch ended").hasValue(1);
        }
    }

    @Test
    void onItsThreadAnEngineThatRefusesIsAskedUntilItStops() {
        AtomicLong looks = new AtomicLong();
        AtomicInteger asked = new AtomicInteger();
        // Refuses twice (as Debezium's engine does while its tasks start), then stops.
        try (ConnectionWatch running = new ConnectionWatch("s", () -> connectedThenGone(looks), GRACE, SILENCE,
                Duration.ofMillis(10), () -> asked.incrementAndGet() >= 3).start()) {
            await().atMost(Duration.ofSeconds(5)).until(() -> !running.watching());
            assertThat(asked).as("asked until it stopped, then no more").hasValue(3);
        }
    }
}
