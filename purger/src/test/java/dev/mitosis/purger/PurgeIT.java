package dev.mitosis.purger;

import dev.mitosis.connectors.shard.Ownership;
import dev.mitosis.connectors.shard.ServerRole;
import dev.mitosis.testkit.DualMasterPair;
import dev.mitosis.testkit.ItEnvironment;
import dev.mitosis.testkit.MariaDbServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The purge of one real pair after the split, as the runbook goes: refused while the pair still replicates; after
 * the cut, a dry run counts exactly; the purge of new shard 0 on A under concurrent writes deletes exactly the
 * sibling's residue (edge and unsigned keys included), keeps misplaced and NULL-key rows, tags its deletes in the
 * binlog and leaves A0 alone; a purge of A0 stops (ABORTED, checkpoint consistent) when a replication link to A
 * reappears during the run.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PurgeIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String ACCOUNT_COLUMNS = "id, IFNULL(uid, 'N'), payload, n";
    private static Path dir;
    private static DualMasterPair pair;

    @BeforeAll
    static void startPair() throws SQLException {
        dir = ItEnvironment.dirFor(PurgeIT.class);
        MariaDbServer.Builder[] b = DualMasterPair.builders(dir, "p0", 0);
        pair = DualMasterPair.start(b[0].port(ItEnvironment.port(0)), b[1].port(ItEnvironment.port(1)));
        PurgeFixture.createTables(pair.a());
        long seed = Long.getLong("mitosis.seed", System.nanoTime());
        System.err.println("PurgeIT seed=" + seed + " (replay with -Dmitosis.seed=" + seed + ")");
        PurgeFixture.load(pair.a(), seed, 3000);
        assertThat(pair.awaitInSync(WAIT)).isTrue();
    }

    @AfterAll
    static void stopAll() {
        if (pair != null) {
            pair.close();
        }
    }

    private static ServerSessions sessions(MariaDbServer server) {
        return PurgeFixture.sessions(server);
    }

    private static ReplicationCutInterlock cutInterlock() {
        return PurgeFixture.cutInterlock(pair);
    }

    private static Purger.Builder purger(MariaDbServer server, int newShard) {
        return Purger.builder(new PurgeTarget(PurgeFixture.SPLIT, newShard, server.name(), sessions(server)))
                .tables(List.of("app"), PurgeFixture.RULES)
                .settings(PurgeSettings.defaults().withChunks(50, 40, 400).withMaxRowsPerSecond(0))
                .interlocks(List.of(cutInterlock()));
    }

    private static long count(MariaDbServer server, String table) {
        return Long.parseLong(server.queryString("SELECT COUNT(*) FROM app." + table));
    }

    @Test
    @Order(1)
    void refusedWhileThePairReplicatesAndNamesEveryInterlockItCannotCheck() {
        long onA = count(pair.a(), "accounts");
        long onA0 = count(pair.a0(), "accounts");

        PurgeReport report = purger(pair.a(), 0).interlocks(List.of(cutInterlock(),
                new CaptureCaughtUpInterlock(pair.a().name(), sessions(pair.a()), java.util.Optional::empty,
                        Duration.ofSeconds(10), Duration.ofSeconds(5), java.time.Clock.systemUTC(),
                        dev.mitosis.connectors.time.Sleeper.SYSTEM))).build().run();

        assertThat(report.outcome()).isEqualTo(PurgeReport.Outcome.REFUSED);
        assertThat(report.reason()).contains("replication cut", "p0-a replicates from p0-a0",
                "p0-a0 replicates from p0-a", "capture healthy and caught up: REFUSED (capture of p0-a has published"
                        + " no status");
        assertThat(report.archive().archived()).isFalse();
        assertThat(report.rowsDeleted()).isZero();
        assertThat(count(pair.a(), "accounts")).isEqualTo(onA);
        assertThat(count(pair.a0(), "accounts")).isEqualTo(onA0);
        assertThat(pair.a().queryColumn("SHOW DATABASES LIKE '\\_mitosis'")).isEmpty();
    }

    @Test
    @Order(2)
    void dryRunPlanCountsExactlyAndDeletesNothing() throws SQLException {
        pair.cut();
        assertThat(cutInterlock().check().holds()).isTrue();
        Map<String, String> before = PurgeFixture.rowChecksums(pair.a(), "accounts", "id", ACCOUNT_COLUMNS);

        PurgePlan plan = purger(pair.a(), 0).build().plan(true);

        assertThat(plan.purgedResidue()).isEqualTo(2);
        assertThat(plan.keptResidue()).isZero();
        assertThat(plan.tables()).extracting(TablePlan::qualifiedName)
                .containsExactly("app.accounts", "app.big_ids", "app.events");
        TablePlan accounts = plan.tables().get(0);
        assertThat(accounts.primaryKey()).containsExactly("id");
        ResidueCounts counts = accounts.counts().orElseThrow();
        assertThat(counts).isEqualTo(PurgeFixture.expectedCounts(pair.a(), "accounts", "uid", ServerRole.A));
        assertThat(plan.tables().get(1).counts().orElseThrow())
                .isEqualTo(PurgeFixture.expectedCounts(pair.a(), "big_ids", "owner", ServerRole.A));
        assertThat(counts.purge()).isPositive();
        assertThat(counts.misplaced()).isPositive();
        assertThat(counts.nullKey()).isPositive();
        assertThat(PurgeFixture.rowChecksums(pair.a(), "accounts", "id", ACCOUNT_COLUMNS)).isEqualTo(before);
    }

    @Test
    @Order(3)
    void purgeUnderConcurrentWritesDeletesExactlyTheSiblingResidue() throws Exception {
        MariaDbServer a = pair.a();
        // The expected owned set: every row that is not purge residue, then every concurrent write applied to it.
        a.execute("CREATE DATABASE shadow", "CREATE TABLE shadow.accounts LIKE app.accounts",
                "INSERT INTO shadow.accounts SELECT * FROM app.accounts"
                        + " WHERE uid IS NULL OR MOD(MOD(uid, 4) + 4, 4) <> 2");
        Map<String, ResidueCounts> expectedBigIds = Map.of("big_ids", PurgeFixture.expectedCounts(a, "big_ids", "owner", ServerRole.A));
        Map<String, String> eventsKept = keptEvents(a);
        List<String> bigKept = PurgeFixture.keys(a, "big_ids", "owner").stream()
                .filter(v -> PurgeFixture.classify(v, ServerRole.A) != Ownership.PURGE).sorted().toList();
        long a0Accounts = count(pair.a0(), "accounts");
        String a0Gtid = pair.a0().gtidBinlogPos();

        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicLong writes = new AtomicLong();
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> writeOwnedRows(a, writing, writes));
        PurgeReport report;
        try {
            report = purger(a, 0).build().run();
            await().atMost(WAIT).until(() -> writes.get() >= 50);
        } finally {
            writing.set(false);
        }
        writer.get();

        assertThat(report.outcome()).as(report.reason()).isEqualTo(PurgeReport.Outcome.DONE);
        assertThat(writes.get()).isGreaterThanOrEqualTo(50);
        assertThat(PurgeFixture.rowChecksums(a, "app.accounts", "id", ACCOUNT_COLUMNS))
                .isEqualTo(PurgeFixture.rowChecksums(a, "shadow.accounts", "id", ACCOUNT_COLUMNS));
        assertThat(keptEvents(a)).isEqualTo(eventsKept);
        assertThat(PurgeFixture.keys(a, "big_ids", "owner").stream().sorted().toList()).isEqualTo(bigKept);
        assertThat(PurgeFixture.keys(a, "big_ids", "owner")).contains("9223372036854775808", "18446744073709551615",
                "NULL").doesNotContain("18446744073709551614", "9223372036854775810");
        assertThat(PurgeFixture.keys(a, "accounts", "uid")).contains("0", "-4", "-1", "-7", "9223372036854775807",
                "-9223372036854775808", "NULL").doesNotContain("2", "6", "-2", "-6", "-9223372036854775806");
        for (TableResult table : report.tables()) {
            assertThat(table.finished()).isTrue();
            assertThat(table.remaining().orElseThrow().purge()).as(table.table()).isZero();
        }
        TableResult big = report.tables().stream().filter(t -> t.table().equals("app.big_ids")).findFirst().orElseThrow();
        assertThat(big.remaining().orElseThrow().misplaced()).isEqualTo(expectedBigIds.get("big_ids").misplaced());
        assertThat(big.remaining().orElseThrow().nullKey()).isEqualTo(expectedBigIds.get("big_ids").nullKey());
        assertThat(big.rowsDeleted()).isEqualTo(expectedBigIds.get("big_ids").purge());
        // The broadcast table and the old sibling are untouched.
        assertThat(count(a, "countries")).isEqualTo(3);
        assertThat(count(pair.a0(), "accounts")).isEqualTo(a0Accounts);
        assertThat(pair.a0().gtidBinlogPos()).isEqualTo(a0Gtid);
        assertThat(a.queryString("SELECT COUNT(*) FROM _mitosis.purge_checkpoint WHERE new_shard = 0 AND done = 1"))
                .isEqualTo("3");
        assertPurgeDeletesAreTaggedInTheBinlog(a);
    }

    @Test
    @Order(4)
    void anInterlockThatStopsHoldingDuringTheRunAbortsItAfterACheckpoint() throws Exception {
        MariaDbServer a0 = pair.a0();
        long residue = PurgeFixture.expectedCounts(a0, "accounts", "uid", ServerRole.A0).purge();
        Purger purger = purger(a0, 2).only(List.of("app.accounts"))
                .settings(PurgeSettings.defaults().withChunks(50, 10, 10).withMaxRowsPerSecond(80)).build();
        CompletableFuture<PurgeReport> run = CompletableFuture.supplyAsync(purger::run);
        try {
            await().atMost(WAIT).until(() -> deletedSoFar(a0) > 0);
            // A replication connection from A into A0 again (defined, not even started) breaks the cut.
            a0.execute("CHANGE MASTER 'relink' TO MASTER_HOST='127.0.0.1', MASTER_PORT=" + pair.a().port()
                    + ", MASTER_USER='nobody', MASTER_PASSWORD='none'");
            PurgeReport report = run.get(60, java.util.concurrent.TimeUnit.SECONDS);

            assertThat(report.outcome()).as(report.reason()).isEqualTo(PurgeReport.Outcome.ABORTED);
            assertThat(report.reason()).startsWith("interlock no longer holds: replication cut: REFUSED")
                    .contains("p0-a0 replicates from p0-a (connection 'relink'");
            long left = PurgeFixture.expectedCounts(a0, "accounts", "uid", ServerRole.A0).purge();
            assertThat(left).isPositive();
            assertThat(deletedSoFar(a0)).isEqualTo(residue - left);
        } finally {
            a0.execute("RESET SLAVE 'relink' ALL");
        }
    }

    private static long deletedSoFar(MariaDbServer server) {
        if ("0".equals(server.queryString("SELECT COUNT(*) FROM information_schema.TABLES"
                + " WHERE TABLE_SCHEMA = '_mitosis' AND TABLE_NAME = 'purge_checkpoint'"))) {
            return 0;
        }
        return Long.parseLong(server.queryString("SELECT COALESCE(SUM(rows_deleted), 0)"
                + " FROM _mitosis.purge_checkpoint WHERE new_shard = 2"));
    }

    private static Map<String, String> keptEvents(MariaDbServer server) throws SQLException {
        Map<String, String> all = PurgeFixture.rowChecksums(server, "app.events", "uid, seq", "uid, seq, body");
        Map<String, String> kept = new java.util.TreeMap<>();
        all.forEach((key, sum) -> {
            if (PurgeFixture.classify(key.split(",")[0], ServerRole.A) != Ownership.PURGE) {
                kept.put(key, sum);
            }
        });
        return kept;
    }

    /** Inserts, updates and deletes owned rows (uid mod 4 = 0) on A, mirrored into shadow.accounts. */
    private static void writeOwnedRows(MariaDbServer a, AtomicBoolean writing, AtomicLong writes) {
        Random random = new Random(7);
        List<Long> mine = new ArrayList<>();
        try (Connection c = a.connect("")) {
            c.setAutoCommit(false);
            while (writing.get()) {
                int op = mine.size() < 5 ? 0 : random.nextInt(3);
                if (op == 0) {
                    long uid = 4L * (random.nextInt(100_000) - 50_000);
                    long id;
                    try (PreparedStatement ps = c.prepareStatement("INSERT INTO app.accounts (uid, payload, n)"
                            + " VALUES (?, 'w', ?)", Statement.RETURN_GENERATED_KEYS)) {
                        ps.setLong(1, uid);
                        ps.setInt(2, op);
                        ps.executeUpdate();
                        try (ResultSet keys = ps.getGeneratedKeys()) {
                            keys.next();
                            id = keys.getLong(1);
                        }
                    }
                    try (PreparedStatement ps = c.prepareStatement("INSERT INTO shadow.accounts SELECT * FROM"
                            + " app.accounts WHERE id = ?")) {
                        ps.setLong(1, id);
                        ps.executeUpdate();
                    }
                    mine.add(id);
                } else {
                    long id = mine.get(random.nextInt(mine.size()));
                    for (String table : List.of("app.accounts", "shadow.accounts")) {
                        String sql = op == 1 ? "UPDATE " + table + " SET n = n + 1, payload = 'u' WHERE id = ?"
                                : "DELETE FROM " + table + " WHERE id = ?";
                        try (PreparedStatement ps = c.prepareStatement(sql)) {
                            ps.setLong(1, id);
                            ps.executeUpdate();
                        }
                    }
                    if (op == 2) {
                        mine.remove(id);
                    }
                }
                c.commit();
                writes.incrementAndGet();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void assertPurgeDeletesAreTaggedInTheBinlog(MariaDbServer a) {
        List<String> annotations = new ArrayList<>();
        for (String log : a.queryColumn("SHOW BINARY LOGS")) {
            annotations.addAll(a.queryColumnAt("SHOW BINLOG EVENTS IN '" + log + "'", "Info").stream()
                    .filter(info -> info != null && info.contains("mitosis-purge")).toList());
        }
        assertThat(annotations).anyMatch(i -> i.startsWith("DELETE /* mitosis-purge shard=0 table=app.accounts */"));
        assertThat(annotations).anyMatch(i -> i.contains("mitosis-purge shard=0 table=app.big_ids"));
        assertThat(annotations).allMatch(i -> i.contains("MOD(MOD(`"));
    }
}
