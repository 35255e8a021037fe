package dev.mitosis.capture;

import com.codahale.metrics.MetricRegistry;
import dev.mitosis.capture.internal.EngineProperties;
import dev.mitosis.connectors.capture.CaptureState;
import dev.mitosis.connectors.capture.CaptureStatus;
import dev.mitosis.connectors.capture.CaptureStatusStore;
import dev.mitosis.connectors.events.ChangeEvent;
import dev.mitosis.connectors.mariadb.GtidPosition;
import dev.mitosis.connectors.events.EventId;
import dev.mitosis.connectors.topology.MitosisConfig;
import dev.mitosis.connectors.topology.Server;
import dev.mitosis.testkit.ItEnvironment;
import dev.mitosis.testkit.MariaDbServer;
import dev.mitosis.testkit.SilenceableProxy;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Capture of {@code p0-a} stopped and restarted, its server restarted and the broker restarted under it: every
 * write arrives. A stored position purged from the binlogs stops capture with the re-baseline command.
 * Tests share the fixture and run in any order: each writes its own key range and checks only that range.
 */
class CaptureRecoveryIT {

    private static CaptureFixture fixture;
    private static Server serverA;

    @BeforeAll
    static void start() {
        fixture = CaptureFixture.start(CaptureRecoveryIT.class);
        serverA = fixture.config.topology().server("p0-a").orElseThrow();
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private static final CaptureSettings SETTINGS =
            CaptureSettings.defaults().withRetryBackoff(Duration.ofMillis(200), Duration.ofSeconds(2));

    private static CaptureWorker startWorker() {
        return startWorker(fixture.config, SETTINGS);
    }

    private static CaptureWorker startWorker(MitosisConfig config, CaptureSettings settings) {
        CaptureWorker worker = new CaptureWorker(config, List.of(config.topology().server("p0-a").orElseThrow()),
                settings, "mitosis capture --servers {server} --rebaseline", new MetricRegistry(),
                Clock.systemUTC()).start();
        await().atMost(Duration.ofSeconds(60)).until(() ->
                worker.health().get(0).state() == CaptureState.RUNNING);
        return worker;
    }

    private static void insertRange(MariaDbServer server, long from, long to) {
        for (long id = from; id < to; id++) {
            server.execute("INSERT INTO app.users VALUES (" + id + ", " + id + ", 'r', 0)");
        }
    }

    /**
     * Awaits every id of [from, to) in A's topic; returns how many events of that range came more than once. A
     * timeout says what was missing and what capture reported, so a failure on another machine can be read.
     */
    private static long awaitRange(CaptureWorker worker, long from, long to) {
        Pattern topic = Pattern.compile(Pattern.quote(fixture.kafka().topics().changes("p0-a", "app", "users")));
        long expected = to - from;
        Set<Long> seen = new HashSet<>();
        long[] duplicates = {0};
        int[] read = {0};
        try {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).until(() -> {
                List<CaptureFixture.Record> all = fixture.readAll(topic, 0, Duration.ofSeconds(20));
                read[0] = all.size();
                List<ChangeEvent> events = all.stream().map(CaptureFixture.Record::event)
                        .filter(e -> e.primaryKey().get("id").asLong() >= from
                                && e.primaryKey().get("id").asLong() < to)
                        .toList();
                seen.clear();
                events.forEach(e -> seen.add(e.primaryKey().get("id").asLong()));
                Map<EventId, Long> counts = events.stream().collect(Collectors.groupingBy(ChangeEvent::id,
                        Collectors.counting()));
                duplicates[0] = counts.values().stream().mapToLong(c -> c - 1).sum();
                return seen.size() == expected;
            });
        } catch (ConditionTimeoutException e) {
            long firstMissing = LongStream.range(from, to).filter(id -> !seen.contains(id)).findFirst().orElse(-1);
            throw new AssertionError("ids [" + from + ", " + to + "): " + seen.size() + " of " + expected
                    + " in the topic (first missing " + firstMissing + ", " + read[0] + " events read); server "
                    + fixture.pair.a().queryString("SELECT @@GLOBAL.gtid_binlog_pos") + "; capture "
                    + worker.health() + " " + worker.statuses(), e);
        }
        return duplicates[0];
    }

    @Test
    void restartResumesFromTheStoredOffset() {
        MariaDbServer a = fixture.pair.a();
        try (CaptureWorker worker = startWorker()) {
            insertRange(a, 1000, 1100);
            awaitRange(worker, 1000, 1100);
        }
        insertRange(a, 1100, 1200);
        try (CaptureWorker worker = startWorker()) {
            insertRange(a, 1200, 1300);
            long duplicates = awaitRange(worker, 1000, 1300);
            System.out.println("restartResumesFromTheStoredOffset duplicates=" + duplicates);
            assertThat(duplicates).as("an orderly stop commits every acknowledged offset").isZero();
        }
    }

    @Test
    void serverRestartUnderCaptureLeavesNoGap() {
        MariaDbServer a = fixture.pair.a();
        try (CaptureWorker worker = startWorker()) {
            insertRange(a, 2000, 2100);
            a.restart();
            insertRange(a, 2100, 2200);
            long duplicates = awaitRange(worker, 2000, 2200);
            System.out.println("serverRestartUnderCaptureLeavesNoGap duplicates=" + duplicates);
            await().atMost(Duration.ofSeconds(60)).until(() -> worker.health().get(0),
                    health -> health.state() == CaptureState.RUNNING);
        }
    }

    /**
     * The binlog connection goes quiet without a close (a proxy in front of A stops forwarding, as when a host or
     * the network dies): the client still counts itself connected. Capture must notice that not even the server's
     * heartbeat arrives and reconnect, then deliver what A wrote meanwhile.
     */
    @Test
    void aConnectionThatDiesSilentlyIsReplaced() {
        MariaDbServer a = fixture.pair.a();
        try (SilenceableProxy proxy = SilenceableProxy.start(ItEnvironment.port(4), a.port());
             CaptureWorker worker = startWorker(fixture.configWithAAt(proxy.port()),
                     SETTINGS.withConnectionSilence(Duration.ofSeconds(4)))) {
            insertRange(a, 5000, 5050);
            awaitRange(worker, 5000, 5050);
            proxy.silenceExisting();
            insertRange(a, 5050, 5100);
            long duplicates = awaitRange(worker, 5000, 5100);
            System.out.println("aConnectionThatDiesSilentlyIsReplaced duplicates=" + duplicates);
            assertThat(worker.health().get(0).retries()).as("the engine was restarted").isPositive();
        }
    }

    @Test
    void brokerRestartUnderCaptureLeavesNoGap() {
        MariaDbServer a = fixture.pair.a();
        try (CaptureWorker worker = startWorker();
             CaptureStatusStore store = new CaptureStatusStore(fixture.kafka(), Duration.ofSeconds(10))) {
            insertRange(a, 3000, 3100);
            fixture.broker.stop();
            // Writes while the broker is away; capture and its status publishing both wait for it.
            insertRange(a, 3100, 3150);
            fixture.broker.start();
            Instant back = Instant.now();
            insertRange(a, 3150, 3200);
            long duplicates = awaitRange(worker, 3000, 3200);
            System.out.println("brokerRestartUnderCaptureLeavesNoGap duplicates=" + duplicates);
            GtidPosition written = GtidPosition.parse(a.queryString("SELECT @@GLOBAL.gtid_binlog_pos"));
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                CaptureStatus status = store.latest("p0-a").orElseThrow();
                assertThat(status.publishedAt()).isAfter(back);
                assertThat(status.state()).isEqualTo(CaptureState.RUNNING);
                assertThat(status.covers(written)).isTrue();
                assertThat(status.lagMillis()).isZero();
            });
        }
    }

    /**
     * One statement of 40,000 rows while the broker is away: the binlog reader blocks mid-transaction behind the full
     * queue for longer than the client's keep-alive. Had the client reconnected by itself, MariaDB would resume at the
     * next GTID (the client counts a transaction done at its statement annotation) and the transaction's unread
     * rows would be lost; capture must deliver every one of them.
     */
    @Test
    void aReaderBlockedMidTransactionLosesNoRowOfIt() throws InterruptedException {
        MariaDbServer a = fixture.pair.a();
        try (CaptureWorker worker = startWorker()) {
            insertRange(a, 10_000, 10_010);
            awaitRange(worker, 10_000, 10_010);
            fixture.broker.stop();
            a.execute("INSERT INTO app.users SELECT seq, seq, 'bulk', 0 FROM app.seq_10010_to_50009");
            // Not a wait for a condition: the broker stays away for three keep-alive intervals, the stall under test.
            Thread.sleep(3 * EngineProperties.KEEP_ALIVE_INTERVAL_MS);
            fixture.broker.start();
            long duplicates = awaitRange(worker, 10_000, 50_010);
            System.out.println("aReaderBlockedMidTransactionLosesNoRowOfIt duplicates=" + duplicates);
        }
    }

    @Test
    void purgedPositionStopsCaptureWithTheRebaselineCommand() {
        MariaDbServer a = fixture.pair.a();
        try (CaptureWorker worker = startWorker()) {
            insertRange(a, 4000, 4010);
            awaitRange(worker, 4000, 4010);
        }
        insertRange(a, 4010, 4020);
        assertThat(fixture.pair.awaitInSync(Duration.ofSeconds(30))).isTrue();
        a.execute("FLUSH BINARY LOGS");
        String current = a.queryColumnAt("SHOW MASTER STATUS", "File").get(0);
        // A file still open by the peer's dump thread is skipped by PURGE (a warning only): retry until it goes.
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            a.execute("PURGE BINARY LOGS TO '" + current + "'");
            return a.queryColumn("SHOW BINARY LOGS").get(0).equals(current);
        });

        try (CaptureWorker worker = new CaptureWorker(fixture.config, List.of(serverA), CaptureSettings.defaults(),
                "mitosis capture --servers {server} --rebaseline", new MetricRegistry(), Clock.systemUTC())) {
            worker.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> worker.state() == WorkerState.FAILED);
            assertThat(worker.firstFailure()).containsInstanceOf(GapDetectedException.class);
            assertThat(worker.firstFailure().orElseThrow().getMessage())
                    .contains("no longer in the server's binlogs")
                    .contains("mitosis capture --servers p0-a --rebaseline");
        }

        CaptureWorker.rebaseline(fixture.config, serverA);
        try (CaptureWorker worker = startWorker()) {
            insertRange(a, 4100, 4110);
            awaitRange(worker, 4100, 4110);
        }
    }
}
