package dev.mitosis.verifier;

import dev.mitosis.connectors.kafka.KafkaClients;
import dev.mitosis.connectors.mariadb.GtidPosition;
import dev.mitosis.connectors.time.Sleeper;
import dev.mitosis.connectors.topology.HostPort;
import dev.mitosis.connectors.topology.KafkaSettings;
import dev.mitosis.testkit.DualMasterPair;
import dev.mitosis.testkit.ItEnvironment;
import dev.mitosis.testkit.KafkaBroker;
import dev.mitosis.testkit.MariaDbServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Continuous mode: a full pass, then refreshes from the change stream keep the PASS at the newest positions; a
 * divergence no binlog shows is found by the next full pass.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ContinuousVerifierIT {

    private static final int ROWS = 3000;
    private static final long SEED = Long.getLong("mitosis.seed", System.nanoTime());
    private static KafkaBroker broker;
    private static DualMasterPair pair;
    private static int prefixes;

    @BeforeAll
    static void start() {
        System.err.println("ContinuousVerifierIT seed=" + SEED + " (replay with -Dmitosis.seed=" + SEED + ")");
        Path dir = ItEnvironment.dirFor(ContinuousVerifierIT.class);
        broker = KafkaBroker.inDir(dir.resolve("kafka"), ItEnvironment.port(2), ItEnvironment.port(3), false).start();
        MariaDbServer.Builder[] b = DualMasterPair.builders(dir, "p0", 0);
        pair = DualMasterPair.start(b[0].port(ItEnvironment.port(0)), b[1].port(ItEnvironment.port(1)));
        pair.a().execute("CREATE DATABASE app CHARACTER SET utf8mb4", PairFixture.ACCOUNTS_DDL);
        for (int first = 1; first <= ROWS; first += 1000) {
            pair.a().execute(PairFixture.insertAccounts(first, 1000));
        }
        assertThat(pair.awaitInSync(Duration.ofSeconds(60))).isTrue();
    }

    @AfterAll
    static void stop() {
        if (pair != null) {
            pair.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    private static KafkaClients freshKafka() {
        return new KafkaClients(new KafkaSettings(List.of(HostPort.parse(broker.bootstrapServers())),
                "cv" + (prefixes++)));
    }

    private static ContinuousVerifier continuous(KafkaChangedRows changes, Duration fullPassInterval,
                                                 List<PairReport> verdicts, List<RowDifference> diffs) {
        return new ContinuousVerifier(PairFixture.pairOf(pair), List.of("app"),
                VerifySettings.defaults().withChunkRows(500, 500), changes,
                new ContinuousVerifier.Schedule(fullPassInterval, Duration.ofMillis(100), Duration.ofSeconds(5)),
                new PairVerifier.Request(List.of(), Optional.empty(), VerifyListener.NONE, diffs::add),
                v -> {
                    System.err.println("ContinuousVerifierIT verdict " + v.verdict() + " at " + v.gtidA() + "/"
                            + v.gtidA0() + " " + v.finishedAt() + " " + v.reasons() + " " + v.notes());
                    verdicts.add(v);
                }, Clock.systemUTC(), Sleeper.SYSTEM);
    }

    private static boolean covers(String held, String actual) {
        return GtidPosition.parse(held).covers(GtidPosition.parse(actual));
    }

    @Test
    @Order(1)
    void afterTheWritesStopAPassHoldingForBothServersFinalPositionsAppearsFromTheStream() throws Exception {
        KafkaClients clients = freshKafka();
        List<PairReport> verdicts = new CopyOnWriteArrayList<>();
        try (EmulatedCapture capture = EmulatedCapture.start(pair.a(), pair.a0(), clients, ROWS, 100, true, SEED);
             KafkaChangedRows changes = new KafkaChangedRows(PairFixture.pairOf(pair), clients,
                     Duration.ofSeconds(10), Duration.ofSeconds(30), Clock.systemUTC())) {
            await().atMost(Duration.ofSeconds(20)).until(() -> changes.unavailable().isEmpty());
            // No second full pass within the test: every later PASS comes from refreshes.
            ContinuousVerifier verifier = continuous(changes, Duration.ofMinutes(10), verdicts, new CopyOnWriteArrayList<>())
                    .start();
            try {
                await().atMost(Duration.ofSeconds(90)).until(() -> verdicts.stream().anyMatch(v -> v.notes().stream()
                        .anyMatch(n -> n.startsWith("refreshed from"))));
                capture.stopWrites();
                long lastWrite = capture.lastWriteNanos();
                assertThat(pair.awaitInSync(Duration.ofSeconds(30))).isTrue();
                String finalA = pair.a().gtidBinlogPos();
                String finalA0 = pair.a0().gtidBinlogPos();
                PairReport fresh = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10))
                        .until(() -> verdicts.stream().filter(v -> v.verdict() == Verdict.PASS
                                && covers(v.gtidA(), finalA) && covers(v.gtidA0(), finalA0)).findFirst(),
                                Optional::isPresent).orElseThrow();
                System.err.printf("ContinuousVerifierIT: fresh PASS %d ms after the last write: %s%n",
                        (System.nanoTime() - lastWrite) / 1_000_000, ReportJson.compact(fresh));
                assertThat(fresh.notes()).anyMatch(n -> n.startsWith("refreshed from the change stream"));
                assertThat(verifier.latest()).isPresent();
            } finally {
                verifier.close();
            }
            assertThat(verifier.state()).isEqualTo(ContinuousVerifier.State.STOPPED);
        }
        assertThat(verdicts).noneMatch(v -> v.verdict() == Verdict.FAIL);
    }

    @Test
    @Order(2)
    void aDivergenceInjectedWhileItRunsTurnsTheVerdictFailWithThatRow() throws Exception {
        KafkaClients clients = freshKafka();
        List<PairReport> verdicts = new CopyOnWriteArrayList<>();
        List<RowDifference> diffs = new CopyOnWriteArrayList<>();
        try (EmulatedCapture capture = EmulatedCapture.start(pair.a(), pair.a0(), clients, ROWS, 50, true, SEED + 1);
             KafkaChangedRows changes = new KafkaChangedRows(PairFixture.pairOf(pair), clients,
                     Duration.ofSeconds(10), Duration.ofSeconds(30), Clock.systemUTC())) {
            await().atMost(Duration.ofSeconds(20)).until(() -> changes.unavailable().isEmpty());
            ContinuousVerifier verifier = continuous(changes, Duration.ofSeconds(2), verdicts, diffs).start();
            try {
                await().atMost(Duration.ofSeconds(90)).until(() -> verdicts.stream().anyMatch(v -> v.verdict() == Verdict.PASS));
                // A row the load never updates (it draws ids 1..ROWS, and ids step by the pair's
                // auto_increment_increment): an update of it on A would replicate its full after-image and heal A0.
                String id = pair.a().queryString("SELECT MIN(id) FROM app.accounts WHERE id > " + ROWS);
                pair.a0().execute("SET sql_log_bin=0", "UPDATE app.accounts SET email = 'diverged' WHERE id = " + id);
                PairReport failed = await().atMost(Duration.ofSeconds(90))
                        .until(() -> verdicts.stream().filter(v -> v.verdict() == Verdict.FAIL).findFirst(),
                                Optional::isPresent).orElseThrow();
                assertThat(failed.tables().get(0).samples()).singleElement()
                        .satisfies(d -> assertThat(d.key()).containsEntry("id", id));
                assertThat(diffs).anyMatch(d -> d.key().get("id").equals(id) && d.columns().equals(List.of("email")));
            } finally {
                verifier.close();
                pair.a0().execute("SET sql_log_bin=0",
                        "UPDATE app.accounts SET email = CONCAT('user', uid, '@example.com') WHERE id > " + ROWS);
            }
        }
    }
}
