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

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The throttle on real servers: A of a cut pair gets a new HA partner; while A is purged, the partner's SQL
 * thread is stopped (the purge pauses, naming the replica and its lag) and started again (the purge resumes and
 * finishes, the partner identical to A); the control file pauses and changes the rate, each change logged. Then,
 * with the partner stopped again, lag past the abort threshold stops the purge (ABORTED) after a checkpoint that
 * counts exactly the rows gone.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PurgeThrottleIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String ACCOUNT_COLUMNS = "id, IFNULL(uid, 'N'), payload, n";
    private static DualMasterPair pair;
    private static DualMasterPair partnered;
    private static Path dir;

    @BeforeAll
    static void startPairAndPartner() throws SQLException {
        dir = ItEnvironment.dirFor(PurgeThrottleIT.class);
        MariaDbServer.Builder[] b = DualMasterPair.builders(dir, "p0", 0);
        pair = DualMasterPair.start(b[0].port(ItEnvironment.port(0)), b[1].port(ItEnvironment.port(1)));
        PurgeFixture.createTables(pair.a());
        assertThat(pair.awaitInSync(WAIT)).isTrue();
        pair.cut();
        // Re-partnered while the tables are empty; the rows are written on A afterwards and replicate to the partner.
        partnered = DualMasterPair.repartner(pair.a(), MariaDbServer.builder("p0-a-new").baseDir(dir)
                .port(ItEnvironment.port(2)).serverId(903).gtidDomainId(903));
        long seed = Long.getLong("mitosis.seed", System.nanoTime());
        System.err.println("PurgeThrottleIT seed=" + seed + " (replay with -Dmitosis.seed=" + seed + ")");
        PurgeFixture.load(pair.a(), seed, 3000);
        assertThat(partnered.awaitInSync(WAIT)).isTrue();
    }

    @AfterAll
    static void stopAll() {
        try {
            if (partnered != null) {
                partnered.a0().stop();
            }
        } finally {
            if (pair != null) {
                pair.close();
            }
        }
    }

    @Test
    @Order(1)
    void pausesWhileTheNewPartnerLagsResumesWhenItCatchesUpAndObeysTheControlFile() throws Exception {
        MariaDbServer a = pair.a();
        MariaDbServer partner = partnered.a0();
        long toDelete = PurgeFixture.expectedCounts(a, "accounts", "uid", ServerRole.A).purge();
        // The command finds the partner this way: it registered with A and reports its own port.
        assertThat(ReplicaDiscovery.find(PurgeFixture.sessions(a), "127.0.0.1", "mitosis", "unused"))
                .extracting(ReplicaEndpoint::name).containsExactly("server_id=903@127.0.0.1:" + partner.port());
        Path control = dir.resolve("purge.control");
        List<String> events = new CopyOnWriteArrayList<>();
        Purger purger = Purger.builder(new PurgeTarget(PurgeFixture.SPLIT, 0, a.name(), PurgeFixture.sessions(a)))
                .tables(List.of("app"), PurgeFixture.RULES)
                .only(List.of("app.accounts"))
                .settings(PurgeSettings.defaults().withChunks(50, 20, 20).withMaxRowsPerSecond(400)
                        .withReplicaLagMs(300, 120_000).withPauseFile(control))
                .interlocks(List.of(PurgeFixture.cutInterlock(pair)))
                .replicas(List.of(new ReplicaEndpoint(partner.name(), PurgeFixture.sessions(partner))))
                .listener(new PurgeListener() {
                    @Override
                    public void throttleChanged(ThrottleDecision old, ThrottleDecision now) {
                        events.add(now.toString());
                    }

                    @Override
                    public void tunableChanged(String name, String oldValue, String newValue, String by) {
                        events.add(name + " " + oldValue + " -> " + newValue + " by " + by);
                    }
                })
                .build();
        CompletableFuture<PurgeReport> run = CompletableFuture.supplyAsync(purger::run);
        try {
            await().atMost(WAIT).until(() -> deletedSoFar(a) > 0);

            partner.execute("STOP SLAVE SQL_THREAD");
            await().atMost(WAIT).until(() -> purger.throttle().reason().contains("replica " + partner.name() + " lag"));
            long paused = deletedSoFar(a);
            await().during(Duration.ofMillis(700)).atMost(WAIT).until(() -> deletedSoFar(a) == paused);
            partner.execute("START SLAVE SQL_THREAD");
            await().atMost(WAIT).until(() -> deletedSoFar(a) > paused);

            Files.writeString(control, "pause\n");
            await().atMost(WAIT).until(() -> purger.throttle().reason().contains("paused by control file"));
            long held = deletedSoFar(a);
            await().during(Duration.ofMillis(500)).atMost(WAIT).until(() -> deletedSoFar(a) == held);
            Files.writeString(control, "rate=5000\n");
            await().atMost(WAIT).until(() -> events.stream().anyMatch(e -> e.startsWith("max.rows.per.second 400")));
        } finally {
            partner.execute("START SLAVE SQL_THREAD");
            Files.deleteIfExists(control);
        }
        PurgeReport report = run.get(120, TimeUnit.SECONDS);

        assertThat(report.outcome()).as(report.reason()).isEqualTo(PurgeReport.Outcome.DONE);
        assertThat(report.tables()).hasSize(1);
        assertThat(report.tables().get(0).rowsDeleted()).isEqualTo(toDelete);
        assertThat(events).anyMatch(e -> e.startsWith("paused: replica " + partner.name() + " lag"));
        assertThat(events).anyMatch(e -> e.startsWith("paused: paused by control file"));
        assertThat(events).anyMatch(e -> e.startsWith("max.rows.per.second 400 -> 5000 by control file"));
        assertThat(partnered.awaitInSync(WAIT)).isTrue();
        assertThat(PurgeFixture.rowChecksums(partner, "app.accounts", "id", ACCOUNT_COLUMNS))
                .isEqualTo(PurgeFixture.rowChecksums(a, "app.accounts", "id", ACCOUNT_COLUMNS));
        assertThat(PurgeFixture.keys(a, "accounts", "uid"))
                .noneMatch(v -> PurgeFixture.classify(v, ServerRole.A) == Ownership.PURGE);
        // The checkpoint replicated with its deletes: after a failover to the partner the purge would resume there.
        assertThat(partner.queryString("SELECT done FROM _mitosis.purge_checkpoint WHERE new_shard = 0"
                + " AND table_name = 'accounts'")).isEqualTo("1");
    }

    @Test
    @Order(2)
    void lagPastTheAbortThresholdStopsThePurgeAfterACheckpoint() throws Exception {
        MariaDbServer a = pair.a();
        MariaDbServer partner = partnered.a0();
        // New residue rows (uid mod 4 = 2) and a fresh checkpoint: the table's earlier purge is done.
        a.execute("DELETE FROM _mitosis.purge_checkpoint",
                "INSERT INTO app.accounts (uid, payload, n) SELECT 4 * seq + 2, 'r', seq FROM app.seq_1_to_2000");
        assertThat(partnered.awaitInSync(WAIT)).isTrue();
        Purger purger = Purger.builder(new PurgeTarget(PurgeFixture.SPLIT, 0, a.name(), PurgeFixture.sessions(a)))
                .tables(List.of("app"), PurgeFixture.RULES)
                .only(List.of("app.accounts"))
                .settings(PurgeSettings.defaults().withChunks(50, 20, 20).withMaxRowsPerSecond(300)
                        .withReplicaLagMs(200, 800))
                .interlocks(List.of(PurgeFixture.cutInterlock(pair)))
                .replicas(List.of(new ReplicaEndpoint(partner.name(), PurgeFixture.sessions(partner))))
                .build();
        CompletableFuture<PurgeReport> run = CompletableFuture.supplyAsync(purger::run);
        PurgeReport report;
        try {
            await().atMost(WAIT).until(() -> deletedSoFar(a) > 0);
            partner.execute("STOP SLAVE SQL_THREAD");
            report = run.get(60, TimeUnit.SECONDS);
        } finally {
            partner.execute("START SLAVE SQL_THREAD");
        }

        assertThat(report.outcome()).as(report.reason()).isEqualTo(PurgeReport.Outcome.ABORTED);
        assertThat(report.reason()).matches("replica p0-a-new lag \\d+ ms > 800 ms");
        long left = Long.parseLong(a.queryString("SELECT COUNT(*) FROM app.accounts WHERE MOD(MOD(uid, 4) + 4, 4) = 2"));
        assertThat(left).isPositive();
        assertThat(deletedSoFar(a)).isEqualTo(2000 - left);
        assertThat(a.queryString("SELECT done FROM _mitosis.purge_checkpoint WHERE new_shard = 0")).isEqualTo("0");
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
