package dev.mitosis.capture;

import com.codahale.metrics.MetricRegistry;
import dev.mitosis.connectors.capture.CaptureState;
import dev.mitosis.connectors.capture.CaptureStatus;
import dev.mitosis.connectors.capture.CaptureStatusStore;
import dev.mitosis.connectors.mariadb.GtidPosition;
import dev.mitosis.connectors.topology.Server;
import dev.mitosis.testkit.MariaDbServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Capture's status on {@code <prefix>.capture.health} as the purger reads it: RUNNING and covering the server's
 * {@code gtid_binlog_pos} with lag 0 once writes stop, moved on by writes to schemas capture does not publish, and
 * STOPPED after {@link CaptureWorker#close()}.
 */
class CaptureHealthIT {

    private static CaptureFixture fixture;
    private static Server serverA;

    @BeforeAll
    static void start() {
        fixture = CaptureFixture.start(CaptureHealthIT.class);
        serverA = fixture.config.topology().server("p0-a").orElseThrow();
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private static GtidPosition binlogPos(MariaDbServer server) {
        return GtidPosition.parse(server.queryString("SELECT @@GLOBAL.gtid_binlog_pos"));
    }

    private static CaptureStatus latest(CaptureStatusStore store) {
        return store.latest("p0-a").orElseThrow(() -> new AssertionError("no status of p0-a on " + store.topic()));
    }

    /** Awaits a status published after {@code after} that is RUNNING, covers {@code position} and has lag 0. */
    private static CaptureStatus awaitCaughtUp(CaptureStatusStore store, GtidPosition position, Instant after) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            CaptureStatus status = latest(store);
            assertThat(status.publishedAt()).isAfter(after);
            assertThat(status.state()).isEqualTo(CaptureState.RUNNING);
            assertThat(status.covers(position)).as("processed %s covers %s", status.processedGtid(), position).isTrue();
            assertThat(status.lagMillis()).isZero();
            assertThat(status.transactionsBehind()).isZero();
        });
        return latest(store);
    }

    @Test
    void statusShowsTheBinlogPositionFullyAcknowledged() {
        MariaDbServer a = fixture.pair.a();
        try (CaptureStatusStore store = new CaptureStatusStore(fixture.kafka(), Duration.ofSeconds(10))) {
            try (CaptureWorker worker = new CaptureWorker(fixture.config, List.of(serverA), CaptureSettings.defaults(),
                    "rebaseline {server}", new MetricRegistry(), Clock.systemUTC()).start()) {
                await().atMost(Duration.ofSeconds(60)).until(() ->
                        worker.health().get(0).state() == CaptureState.RUNNING);
                for (int id = 1; id <= 50; id++) {
                    a.execute("INSERT INTO app.users VALUES (" + id + ", " + id + ", 'h', 0)");
                }
                GtidPosition afterRows = binlogPos(a);
                CaptureStatus caughtUp = awaitCaughtUp(store, afterRows, Instant.now().minusSeconds(1));
                System.out.println("CaptureHealthIT caught up: " + caughtUp);
                assertThat(caughtUp.serverGtid()).isNotEmpty();
                assertThat(caughtUp.whyNotCaughtUp(Instant.now(), Duration.ofSeconds(30), Duration.ofSeconds(5)))
                        .isEmpty();
                assertThat(worker.statuses()).singleElement()
                        .satisfies(s -> assertThat(s.covers(afterRows)).isTrue());

                // Writes to a schema capture does not publish: only heartbeats' offsets can move the position.
                a.execute("CREATE DATABASE other", "CREATE TABLE other.t (id BIGINT PRIMARY KEY)");
                for (int id = 1; id <= 20; id++) {
                    a.execute("INSERT INTO other.t VALUES (" + id + ")");
                }
                GtidPosition afterOther = binlogPos(a);
                assertThat(afterRows.covers(afterOther)).isFalse();
                Instant written = Instant.now();
                CaptureStatus moved = awaitCaughtUp(store, afterOther, written);
                System.out.println("CaptureHealthIT other schema: " + moved);
                assertThat(moved.events()).as("nothing of schema other is published").isEqualTo(50);
            }
            CaptureStatus stopped = latest(store);
            assertThat(stopped.state()).isEqualTo(CaptureState.STOPPED);
            assertThat(stopped.covers(binlogPos(a))).isTrue();
            assertThat(stopped.whyNotCaughtUp(Instant.now(), Duration.ofSeconds(30), Duration.ofSeconds(5)))
                    .hasValueSatisfying(why -> assertThat(why).contains("STOPPED"));
        }
    }
}
