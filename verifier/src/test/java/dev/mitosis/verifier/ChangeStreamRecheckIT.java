package dev.mitosis.verifier;

import dev.mitosis.connectors.kafka.KafkaClients;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Re-checks driven by the change stream: A0 applies A's writes a second late, so chunks under writes differ when
 * first read; the stream names the rows that changed, and only those are re-read after the catch-up.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ChangeStreamRecheckIT {

    private static final int ROWS = 4000;
    private static final long SEED = Long.getLong("mitosis.seed", System.nanoTime());
    private static KafkaBroker broker;
    private static DualMasterPair pair;
    private static KafkaClients kafka;
    private static int prefixes;

    @BeforeAll
    static void start() {
        System.err.println("ChangeStreamRecheckIT seed=" + SEED + " (replay with -Dmitosis.seed=" + SEED + ")");
        Path dir = ItEnvironment.dirFor(ChangeStreamRecheckIT.class);
        broker = KafkaBroker.inDir(dir.resolve("kafka"), ItEnvironment.port(2), ItEnvironment.port(3), false).start();
        MariaDbServer.Builder[] b = DualMasterPair.builders(dir, "p0", 0);
        pair = DualMasterPair.start(b[0].port(ItEnvironment.port(0)), b[1].port(ItEnvironment.port(1)));
        pair.a().execute("CREATE DATABASE app CHARACTER SET utf8mb4", PairFixture.ACCOUNTS_DDL);
        for (int first = 1; first <= ROWS; first += 1000) {
            pair.a().execute(PairFixture.insertAccounts(first, 1000));
        }
        assertThat(pair.awaitInSync(Duration.ofSeconds(60))).isTrue();
        // A0 applies A's transactions a second late: every chunk read under writes differs at first.
        pair.a0().execute("STOP SLAVE", "CHANGE MASTER TO MASTER_DELAY = 1", "START SLAVE");
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

    /** A fresh topic prefix per test, so one test's status and events are not another's. */
    private static KafkaClients freshKafka() {
        kafka = new KafkaClients(new KafkaSettings(List.of(HostPort.parse(broker.bootstrapServers())),
                "it" + (prefixes++)));
        return kafka;
    }

    private static KafkaChangedRows changes(KafkaClients clients) {
        return new KafkaChangedRows(PairFixture.pairOf(pair), clients, Duration.ofSeconds(10), Duration.ofSeconds(30),
                Clock.systemUTC());
    }

    private static final VerifySettings SETTINGS = VerifySettings.defaults().withChunkRows(200, 200)
            .withRecheck(5, Duration.ofSeconds(10));

    @Test
    @Order(1)
    void chunksThatDifferOnlyInRowsTheStreamSawChangingAreRecheckedRowByRowAndPass() throws Exception {
        KafkaClients clients = freshKafka();
        PairReport report;
        try (EmulatedCapture capture = EmulatedCapture.start(pair.a(), pair.a0(), clients, ROWS, 200, true, SEED);
             KafkaChangedRows changes = changes(clients)) {
            await().atMost(Duration.ofSeconds(20)).until(() -> changes.unavailable().isEmpty());
            report = PairFixture.verifier(pair, SETTINGS).verify(PairVerifier.Request.everything().withChanges(changes));
        }
        System.err.println(ReportJson.compact(report));
        assertThat(report.verdict()).isEqualTo(Verdict.PASS);
        assertThat(report.totals().chunksHot()).isZero();
        assertThat(report.notes()).anyMatch(n -> n.contains("re-checked through the change stream"));
        assertThat(pair.awaitInSync(Duration.ofSeconds(30))).isTrue();
    }

    @Test
    @Order(2)
    void aDifferenceTheStreamDidNotSeeIsStillFoundByReReadingBothServers() throws Exception {
        KafkaClients clients = freshKafka();
        // The load leaves the diverged row alone: an update of it on A would replicate its whole row image and heal
        // A0's difference, and PASS would then be right.
        long diverged = Long.parseLong(pair.a().queryString("SELECT MAX(id) FROM app.accounts"));
        pair.a0().execute("SET sql_log_bin=0", "UPDATE app.accounts SET email = 'diverged' WHERE id = " + diverged);
        List<RowDifference> found = new ArrayList<>();
        PairReport report;
        try (EmulatedCapture capture = EmulatedCapture.start(pair.a(), pair.a0(), clients, (int) diverged - 1, 200, true,
                SEED + 1);
             KafkaChangedRows changes = changes(clients)) {
            await().atMost(Duration.ofSeconds(20)).until(() -> changes.unavailable().isEmpty());
            report = PairFixture.verifier(pair, SETTINGS).verify(new PairVerifier.Request(List.of(), Optional.empty(),
                    VerifyListener.NONE, found::add, changes));
        } finally {
            pair.a0().execute("SET sql_log_bin=0",
                    "UPDATE app.accounts SET email = CONCAT('user', uid, '@example.com') WHERE id = " + diverged);
        }
        System.err.println(ReportJson.compact(report));
        assertThat(report.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(found).singleElement().satisfies(d -> {
            assertThat(d.key()).containsEntry("id", Long.toString(diverged));
            assertThat(d.columns()).containsExactly("email");
        });
    }

    @Test
    @Order(3)
    void withoutCaptureStatusTheReportSaysReChecksFellBackToGtidWaits() throws Exception {
        KafkaClients clients = freshKafka();
        PairReport report;
        try (EmulatedCapture capture = EmulatedCapture.start(pair.a(), pair.a0(), clients, ROWS, 200, false, SEED + 2);
             KafkaChangedRows changes = changes(clients)) {
            report = PairFixture.verifier(pair, SETTINGS).verify(PairVerifier.Request.everything().withChanges(changes));
        }
        System.err.println(ReportJson.compact(report));
        assertThat(report.verdict()).isNotEqualTo(Verdict.FAIL);
        assertThat(report.notes()).anyMatch(n -> n.contains("fell back to MASTER_GTID_WAIT")
                && n.contains("no capture status for p0-a"));
    }
}
