package dev.mitosis.purger;

import dev.mitosis.connectors.capture.CaptureState;
import dev.mitosis.connectors.capture.CaptureStatus;
import dev.mitosis.connectors.capture.CaptureStatusStore;
import dev.mitosis.connectors.kafka.KafkaClients;
import dev.mitosis.connectors.shard.ServerRole;
import dev.mitosis.connectors.topology.HostPort;
import dev.mitosis.connectors.topology.KafkaSettings;
import dev.mitosis.testkit.DualMasterPair;
import dev.mitosis.testkit.ItEnvironment;
import dev.mitosis.testkit.KafkaBroker;
import dev.mitosis.testkit.MariaDbServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The purger reading capture's status from a real broker (the status records are written here, as capture writes
 * them; the ops ITs run the real capture): interlock (4) refuses while capture has no status, a stale one or one that
 * lags, and nothing is deleted on either server; during a run the purge pauses while capture lags, naming it, and
 * resumes when it catches up; the summary says archived only when a status covering the server's position after the
 * last delete was seen.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PurgeCaptureIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static DualMasterPair pair;
    private static KafkaBroker broker;
    private static KafkaClients kafka;
    private static CaptureStatusFollower follower;
    private static ScheduledExecutorService publisher;
    /** What the stand-in capture publishes every 200 ms: null publishes nothing. */
    private static final AtomicReference<Mode> mode = new AtomicReference<>();

    /** Where a stand-in that stopped processing stays. */
    private static final AtomicReference<String> frozen = new AtomicReference<>("");

    private enum Mode { CAUGHT_UP, FROZEN }

    @BeforeAll
    static void start() throws SQLException {
        Path dir = ItEnvironment.dirFor(PurgeCaptureIT.class);
        broker = KafkaBroker.inDir(dir.resolve("kafka"), ItEnvironment.port(2), ItEnvironment.port(3), false).start();
        kafka = new KafkaClients(new KafkaSettings(List.of(HostPort.parse(broker.bootstrapServers())), "it"));
        MariaDbServer.Builder[] b = DualMasterPair.builders(dir, "p0", 0);
        pair = DualMasterPair.start(b[0].port(ItEnvironment.port(0)), b[1].port(ItEnvironment.port(1)));
        PurgeFixture.createTables(pair.a());
        PurgeFixture.load(pair.a(), 7, 3000);
        assertThat(pair.awaitInSync(WAIT)).isTrue();
        pair.cut();
        follower = new CaptureStatusFollower(kafka, pair.a().name(), Duration.ofSeconds(10));
    }

    @AfterAll
    static void stop() {
        try {
            if (follower != null) {
                follower.close();
            }
            if (pair != null) {
                pair.close();
            }
        } finally {
            if (broker != null) {
                broker.stop();
            }
        }
    }

    @AfterEach
    void stopPublishing() throws InterruptedException {
        if (publisher != null) {
            publisher.shutdownNow();
            assertThat(publisher.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
            publisher = null;
        }
    }

    private static CaptureStatus status(CaptureState state, String processed, long lagMs, Instant at) {
        return new CaptureStatus(pair.a().name(), state, processed, pair.a().gtidBinlogPos(), 0, lagMs, at, 1, 1.0, 0,
                null, at);
    }

    private static void publish(CaptureStatus status) {
        try (CaptureStatusStore store = new CaptureStatusStore(kafka, Duration.ofSeconds(10))) {
            store.publish(status);
        }
    }

    /** A stand-in for capture of A: publishes every 200 ms what {@link #mode} says. */
    private static void startPublishing(Mode initial) {
        mode.set(initial);
        CaptureStatusStore store = new CaptureStatusStore(kafka, Duration.ofSeconds(10));
        publisher = Executors.newSingleThreadScheduledExecutor();
        publisher.scheduleWithFixedDelay(() -> {
            Instant now = Instant.now();
            switch (mode.get()) {
                case CAUGHT_UP -> store.publish(status(CaptureState.RUNNING, pair.a().gtidBinlogPos(), 0, now));
                case FROZEN -> store.publish(status(CaptureState.RUNNING, frozen.get(), 100, now));
            }
        }, 0, 200, TimeUnit.MILLISECONDS);
    }

    /** The stand-in stops processing here, still reporting RUNNING every 200 ms. */
    private static void freeze() {
        frozen.set(pair.a().gtidBinlogPos());
        mode.set(Mode.FROZEN);
    }

    private static Purger.Builder purger(PurgeSettings settings) {
        MariaDbServer a = pair.a();
        return Purger.builder(new PurgeTarget(PurgeFixture.SPLIT, 0, a.name(), PurgeFixture.sessions(a)))
                .tables(List.of("app"), PurgeFixture.RULES)
                .only(List.of("app.accounts"))
                .settings(settings)
                .interlocks(List.of(PurgeFixture.cutInterlock(pair), new CaptureCaughtUpInterlock(a.name(),
                        PurgeFixture.sessions(a), follower, settings.captureStatusMaxAge(), settings.maxCaptureLag(),
                        Clock.systemUTC(), dev.mitosis.connectors.time.Sleeper.SYSTEM)))
                .capture(follower);
    }

    private static long count(MariaDbServer server) {
        return Long.parseLong(server.queryString("SELECT COUNT(*) FROM app.accounts"));
    }

    @Test
    @Order(1)
    void refusedWhileCaptureHasNoStatusAStaleOneOrLagsAndNothingIsDeleted() {
        long onA = count(pair.a());
        long onA0 = count(pair.a0());
        PurgeSettings settings = PurgeSettings.defaults().withCapture(2_000, 5_000, 1_000);

        PurgeReport none = purger(settings).build().run();
        publish(status(CaptureState.RUNNING, pair.a().gtidBinlogPos(), 0, Instant.now().minusSeconds(60)));
        PurgeReport stale = purger(settings).build().run();
        publish(status(CaptureState.RUNNING, "", 9_000, Instant.now()));
        PurgeReport lagging = purger(settings).build().run();
        publish(status(CaptureState.RETRYING, "", 0, Instant.now()));
        PurgeReport retrying = purger(settings).build().run();

        for (PurgeReport report : List.of(none, stale, lagging, retrying)) {
            assertThat(report.outcome()).as(report.reason()).isEqualTo(PurgeReport.Outcome.REFUSED);
            assertThat(report.reason()).contains("capture healthy and caught up: REFUSED (capture of p0-a");
            assertThat(report.rowsDeleted()).isZero();
            assertThat(report.archive().archived()).isFalse();
        }
        assertThat(none.reason()).contains("has published no status");
        assertThat(stale.reason()).containsPattern("last reported \\d+ ms ago \\(limit 5000 ms\\)");
        assertThat(lagging.reason()).contains("capture of p0-a has not processed " + pair.a().gtidBinlogPos())
                .contains("limit 2000 ms)");
        assertThat(retrying.reason()).contains("capture of p0-a is RETRYING");
        assertThat(count(pair.a())).isEqualTo(onA);
        assertThat(count(pair.a0())).isEqualTo(onA0);
        assertThat(pair.a().queryColumn("SHOW DATABASES LIKE '\\_mitosis'")).isEmpty();
    }

    @Test
    @Order(2)
    void pausesWhileCaptureLagsResumesWhenItCatchesUpAndReportsTheRunArchived() throws Exception {
        MariaDbServer a = pair.a();
        long toDelete = PurgeFixture.expectedCounts(a, "accounts", "uid", ServerRole.A).purge();
        startPublishing(Mode.CAUGHT_UP);
        await().atMost(WAIT).until(() -> follower.latest().map(s -> s.state() == CaptureState.RUNNING
                && s.lagMillis() == 0).orElse(false));
        List<String> events = new CopyOnWriteArrayList<>();
        Purger purger = purger(PurgeSettings.defaults().withChunks(50, 20, 20).withMaxRowsPerSecond(300)
                .withCapture(2_000, 5_000, 10_000))
                .listener(new PurgeListener() {
                    @Override
                    public void throttleChanged(ThrottleDecision old, ThrottleDecision now) {
                        events.add(now.toString());
                    }
                })
                .build();
        CompletableFuture<PurgeReport> run = CompletableFuture.supplyAsync(purger::run);
        long paused;
        try {
            await().atMost(WAIT).until(() -> deletedSoFar(a) > 0);
            freeze();
            await().atMost(WAIT).until(() -> purger.throttle().reason().contains("capture of p0-a lags"));
            paused = deletedSoFar(a);
            await().during(Duration.ofMillis(1_500)).atMost(WAIT).until(() -> deletedSoFar(a) == paused);
        } finally {
            mode.set(Mode.CAUGHT_UP);
        }
        await().atMost(WAIT).until(() -> deletedSoFar(a) > paused);
        PurgeReport report = run.get(120, TimeUnit.SECONDS);

        assertThat(report.outcome()).as(report.reason()).isEqualTo(PurgeReport.Outcome.DONE);
        assertThat(report.tables().get(0).rowsDeleted()).isEqualTo(toDelete);
        assertThat(paused).isLessThan(toDelete);
        assertThat(events).anyMatch(e -> e.matches("paused: capture of p0-a lags \\d+ ms behind the binlog \\(processed"
                + " .*, server at .*; limit 2000 ms\\)"));
        assertThat(events.get(events.size() - 1)).isEqualTo("running");
        assertThat(report.archive().archived()).as(report.archive().reason()).isTrue();
        assertThat(dev.mitosis.connectors.mariadb.GtidPosition.parse(a.gtidBinlogPos())
                .covers(dev.mitosis.connectors.mariadb.GtidPosition.parse(report.archive().position()))).isTrue();
        assertThat(report.archive().position()).isNotEmpty();
    }

    @Test
    @Order(3)
    void aRunIsNotReportedArchivedWhenCaptureNeverCoversItsLastDelete() {
        MariaDbServer a = pair.a();
        a.execute("DELETE FROM _mitosis.purge_checkpoint",
                "INSERT INTO app.accounts (uid, payload, n) SELECT 4 * seq + 2, 'r', seq FROM app.seq_1_to_200");
        startPublishing(Mode.CAUGHT_UP);
        await().atMost(WAIT).until(() -> follower.latest().map(s -> s.covers(
                dev.mitosis.connectors.mariadb.GtidPosition.parse(a.gtidBinlogPos()))).orElse(false));

        // The stand-in stops processing once the last row is deleted: still RUNNING, fresh, never past that point.
        PurgeReport report = purger(PurgeSettings.defaults().withChunks(50, 50, 50).withMaxRowsPerSecond(0)
                .withCapture(60_000, 5_000, 1_500))
                .listener(new PurgeListener() {
                    @Override
                    public void chunk(PurgeProgress progress) {
                        if (progress.tableRowsDeleted() == 200) {
                            freeze();
                        }
                    }
                })
                .build().run();

        assertThat(report.outcome()).as(report.reason()).isEqualTo(PurgeReport.Outcome.DONE);
        assertThat(report.rowsDeleted()).isEqualTo(200);
        assertThat(report.archive().archived()).isFalse();
        assertThat(report.archive().reason()).startsWith("capture of p0-a processed only " + frozen.get())
                .contains("after waiting 1500 ms for " + report.archive().position());
    }

    private static long deletedSoFar(MariaDbServer server) {
        if ("0".equals(server.queryString("SELECT COUNT(*) FROM information_schema.TABLES"
                + " WHERE TABLE_SCHEMA = '_mitosis' AND TABLE_NAME = 'purge_checkpoint'"))) {
            return 0;
        }
        String v = server.queryString("SELECT COALESCE(SUM(rows_deleted), 0) FROM _mitosis.purge_checkpoint"
                + " WHERE new_shard = 0");
        return v == null ? 0 : Long.parseLong(v);
    }
}
