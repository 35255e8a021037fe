package dev.mitosis.capture.internal;

import dev.mitosis.capture.ServerHealth;
import dev.mitosis.connectors.capture.CaptureState;
import dev.mitosis.connectors.capture.CaptureStatus;
import dev.mitosis.connectors.mariadb.GtidPosition;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class StatusPublisherTest {

    private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");

    private static ServerHealth health(String processed, Instant lastSourceTime) {
        return new ServerHealth("p0-a", CaptureState.RUNNING, Optional.ofNullable(processed), Optional.of("1-1-7"),
                Optional.ofNullable(lastSourceTime), 0, 7, 0.5, 0, Optional.empty());
    }

    @Test
    void caughtUpWhenProcessedCoversTheServer() {
        CaptureStatus status = StatusPublisher.status(health("1-1-10,2-2-5", NOW.minusSeconds(60)),
                Optional.of(GtidPosition.parse("1-1-10,2-2-5")), NOW);
        assertThat(status.lagMillis()).isZero();
        assertThat(status.transactionsBehind()).isZero();
        assertThat(status.processedGtid()).isEqualTo("1-1-10,2-2-5");
        assertThat(status.serverGtid()).isEqualTo("1-1-10,2-2-5");
        assertThat(status.publishedAt()).isEqualTo(NOW);
    }

    @Test
    void behindLagsFromTheLastPublishedEvent() {
        CaptureStatus status = StatusPublisher.status(health("1-1-10", NOW.minusMillis(1500)),
                Optional.of(GtidPosition.parse("1-1-13,2-2-2")), NOW);
        assertThat(status.transactionsBehind()).isEqualTo(5);
        assertThat(status.lagMillis()).isEqualTo(1500);
    }

    @Test
    void unknownWithoutAnEventOrTheServersPosition() {
        assertThat(StatusPublisher.status(health("1-1-10", null), Optional.of(GtidPosition.parse("1-1-11")), NOW)
                .lagMillis()).isEqualTo(-1);
        CaptureStatus noServer = StatusPublisher.status(health("1-1-10", NOW.minusSeconds(2)), Optional.empty(), NOW);
        assertThat(noServer.serverGtid()).isEmpty();
        assertThat(noServer.transactionsBehind()).isEqualTo(-1);
        assertThat(noServer.lagMillis()).isEqualTo(2000);
        assertThat(StatusPublisher.status(health(null, null), Optional.of(GtidPosition.parse("1-1-1")), NOW)
                .processedGtid()).isEmpty();
    }

    private static ServerHealth moved(String processed, long lagMillis) {
        return new ServerHealth("p0-a", CaptureState.RUNNING, Optional.of(processed), Optional.of("1-1-7"),
                Optional.of(NOW), lagMillis, 7, 0.5, 0, Optional.empty());
    }

    @Test
    void aProcessedPositionMovedByHeartbeatsIsPublishedAtOnceOneMovedByRowsWaitsForTheInterval() {
        Duration interval = Duration.ofMillis(250);
        Instant justPublished = NOW.minusMillis(50);
        // The heartbeat after a last write: nothing waits (lag 0), the position moved: due now.
        assertThat(StatusPublisher.due(moved("1-1-11", 0), CaptureState.RUNNING, justPublished, "1-1-10", NOW, interval))
                .isTrue();
        // Rows still flowing (lag > 0), or nothing moved: only the interval or a state change makes it due.
        assertThat(StatusPublisher.due(moved("1-1-11", 40), CaptureState.RUNNING, justPublished, "1-1-10", NOW, interval))
                .isFalse();
        assertThat(StatusPublisher.due(moved("1-1-10", 0), CaptureState.RUNNING, justPublished, "1-1-10", NOW, interval))
                .isFalse();
        assertThat(StatusPublisher.due(moved("1-1-10", 40), CaptureState.RUNNING, NOW.minusMillis(250), "1-1-10", NOW,
                interval)).isTrue();
        assertThat(StatusPublisher.due(moved("1-1-10", 40), CaptureState.CATCHING_UP, justPublished, "1-1-10", NOW,
                interval)).isTrue();
        assertThat(StatusPublisher.due(moved("1-1-10", 40), null, null, null, NOW, interval)).isTrue();
    }

    @Test
    void aDomainNamedTwiceKeepsItsHighestSequence() {
        assertThat(StatusPublisher.lenientPosition("1-1-5,1-2-9,2-2-3")).hasToString("1-2-9,2-2-3");
    }
}
