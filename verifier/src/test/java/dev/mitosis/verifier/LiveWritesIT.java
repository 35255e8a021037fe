package dev.mitosis.verifier;

import dev.mitosis.testkit.DualMasterPair;
import dev.mitosis.testkit.ItEnvironment;
import dev.mitosis.testkit.MariaDbServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The verifier under live writes through both masters, with replication stopped, and killed mid-run.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LiveWritesIT {

    private static final int ROWS = 20_000;
    private static DualMasterPair pair;
    private static final long SEED = Long.getLong("mitosis.seed", System.nanoTime());

    @BeforeAll
    static void startPair() {
        System.err.println("LiveWritesIT seed=" + SEED + " (replay with -Dmitosis.seed=" + SEED + ")");
        Path dir = ItEnvironment.dirFor(LiveWritesIT.class);
        MariaDbServer.Builder[] b = DualMasterPair.builders(dir, "p0", 0);
        pair = DualMasterPair.start(b[0].port(ItEnvironment.port(0)), b[1].port(ItEnvironment.port(1)));
        pair.a().execute("CREATE DATABASE app CHARACTER SET utf8mb4", PairFixture.ACCOUNTS_DDL);
        for (int first = 1; first <= ROWS; first += 1000) {
            pair.a().execute(PairFixture.insertAccounts(first, 1000));
        }
        assertThat(pair.awaitInSync(Duration.ofSeconds(60))).isTrue();
    }

    @AfterAll
    static void stopPair() {
        if (pair != null) {
            pair.close();
        }
    }

    /** Writes per second through each master: together above the 500/s the issue asks for. */
    private static final int WRITES_PER_SECOND_EACH = 320;

    /**
     * Updates (and some inserts) through one master, on rows only that master writes, paced to
     * {@link #WRITES_PER_SECOND_EACH} until stopped.
     */
    private static Thread writer(MariaDbServer server, int parity, AtomicBoolean running, AtomicLong writes, long seed) {
        Thread t = new Thread(() -> {
            Random random = new Random(seed);
            long nextUid = 1_000_000 + parity;
            try (Connection c = server.connect("app");
                 PreparedStatement update = c.prepareStatement(
                         "UPDATE accounts SET balance = balance + 1, score = RAND(), email = CONCAT('u', RAND()) WHERE uid = ?");
                 PreparedStatement insert = c.prepareStatement(
                         "INSERT INTO accounts (uid, email, created_at) VALUES (?, 'new', NOW(6))")) {
                long next = System.nanoTime();
                while (running.get()) {
                    // Pacing the load, not waiting for a condition.
                    next += 1_000_000_000L / WRITES_PER_SECOND_EACH;
                    LockSupport.parkNanos(next - System.nanoTime());
                    if (random.nextInt(10) == 0) {
                        insert.setLong(1, nextUid);
                        nextUid += 2;
                        insert.executeUpdate();
                    } else {
                        update.setLong(1, 2L * random.nextInt(ROWS / 2) + 1 + parity);
                        update.executeUpdate();
                    }
                    writes.incrementAndGet();
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "writer-" + server.name());
        t.start();
        return t;
    }

    @Test
    @Order(1)
    void identicalPairUnderWritesThroughBothMastersPasses() throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong writes = new AtomicLong();
        Thread onA = writer(pair.a(), 0, running, writes, SEED);
        Thread onA0 = writer(pair.a0(), 1, running, writes, SEED + 1);
        PairReport report;
        long start = System.nanoTime();
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> writes.get() > 600);
            report = PairFixture.verifier(pair, VerifySettings.defaults().withChunkRows(500, 2000))
                    .verify(PairVerifier.Request.everything());
        } finally {
            running.set(false);
            onA.join();
            onA0.join();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double rate = writes.get() / seconds;
        System.err.printf("LiveWritesIT: %d writes in %.1f s = %.0f writes/s during the run; verdict %s, %s%n",
                writes.get(), seconds, rate, report.verdict(), report.totals());
        System.err.println(ReportJson.compact(report));
        assertThat(report.totals().chunksHot()).isZero();
        assertThat(report.verdict()).isEqualTo(Verdict.PASS);
        assertThat(rate).isGreaterThan(500);
        assertThat(pair.awaitInSync(Duration.ofSeconds(30))).isTrue();
    }

    @Test
    @Order(2)
    void replicationStoppedWithUnappliedWritesIsNotPass() throws Exception {
        pair.a0().execute("STOP ALL SLAVES");
        try {
            pair.a().execute("UPDATE app.accounts SET balance = balance + 5 WHERE uid BETWEEN 100 AND 120");
            PairReport report = PairFixture.verifier(pair, VerifySettings.defaults()
                    .withRecheck(2, Duration.ofMillis(500))).verify(PairVerifier.Request.everything());
            System.err.println(ReportJson.compact(report));
            assertThat(report.verdict()).isNotEqualTo(Verdict.PASS);
            assertThat(report.reasons()).anyMatch(r -> r.contains("p0-a0: replication IO=No SQL=No"));
        } finally {
            pair.a0().execute("START ALL SLAVES");
        }
        assertThat(pair.awaitInSync(Duration.ofSeconds(30))).isTrue();
    }

    @Test
    @Order(3)
    void aRunKilledMidwayResumesFromItsCheckpointToTheSameVerdict(@TempDir Path reports) throws Exception {
        VerifySettings small = VerifySettings.defaults().withChunkRows(1000, 1000);
        PairReport uninterrupted = PairFixture.verifier(pair, small).verify(PairVerifier.Request.everything());

        // A crash, not a drain: the listener throws after the third chunk, as a kill would stop the process.
        AtomicLong chunks = new AtomicLong();
        VerifyListener crashing = new VerifyListener() {
            @Override
            public void chunkDone(String table, long rows, long tableRowsDone, long tableChunksDone, int nextRows) {
                if (chunks.incrementAndGet() == 3) {
                    throw new IllegalStateException("killed");
                }
            }
        };
        PairVerifier first = PairFixture.verifier(pair, small);
        try {
            first.verify(new PairVerifier.Request(List.of(), Optional.of(reports), crashing, d -> { }));
        } catch (IllegalStateException expected) {
            assertThat(expected).hasMessage("killed");
        }
        assertThat(first.state()).isEqualTo(PairVerifier.State.FAILED);
        assertThat(Files.exists(reports.resolve("checkpoint.json"))).isTrue();

        AtomicLong resumedChunks = new AtomicLong();
        VerifyListener counting = new VerifyListener() {
            @Override
            public void chunkDone(String table, long rows, long tableRowsDone, long tableChunksDone, int nextRows) {
                resumedChunks.incrementAndGet();
            }
        };
        PairReport resumed = PairFixture.verifier(pair, small)
                .verify(new PairVerifier.Request(List.of(), Optional.of(reports), counting, d -> { }));

        assertThat(resumed.resumed()).isTrue();
        assertThat(resumed.verdict()).isEqualTo(uninterrupted.verdict()).isEqualTo(Verdict.PASS);
        assertThat(resumed.totals().rowsA()).isEqualTo(uninterrupted.totals().rowsA());
        assertThat(resumed.totals().chunksCompared()).isEqualTo(uninterrupted.totals().chunksCompared());
        assertThat(resumedChunks.get()).isEqualTo(uninterrupted.totals().chunksCompared() - 3);
        assertThat(Files.exists(reports.resolve("checkpoint.json"))).isFalse();
    }

    @Test
    @Order(4)
    void aBusyServerMakesItWaitWithTheReasonAndTheWaitsAreBoundedPerChunk() throws Exception {
        // Threads_running counts the asking session itself, so a threshold of 0 makes every server busy.
        List<String> reasons = new CopyOnWriteArrayList<>();
        List<Duration> sleeps = new CopyOnWriteArrayList<>();
        VerifyListener listening = new VerifyListener() {
            @Override
            public void backingOff(String reason) {
                reasons.add(reason);
            }
        };
        PairReport report = PairFixture.verifier(pair, VerifySettings.defaults().withChunkRows(5000, 5000)
                        .withPacing(500, 0), sleeps::add)
                .verify(new PairVerifier.Request(List.of(), Optional.empty(), listening, d -> { }));

        assertThat(report.verdict()).as("pacing changes when it reads, not what it finds").isEqualTo(Verdict.PASS);
        List<String> busy = reasons.stream().filter(r -> r.contains("Threads_running")).toList();
        assertThat(busy).allMatch(r -> r.matches(".+ Threads_running \\d+ > verify\\.max\\.threads\\.running 0: waiting 500 ms"));
        assertThat(busy).as("at most %d waits per chunk, then the chunk is read anyway", 20)
                .hasSize(20 * (int) report.totals().chunksCompared());
        assertThat(sleeps).as("a wait is slept in slices a stop can interrupt").allMatch(d -> d.toMillis() <= 250)
                .hasSizeGreaterThanOrEqualTo(2 * busy.size());
    }
}
