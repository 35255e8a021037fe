package dev.mitosis.purger;

import dev.mitosis.connectors.shard.ServerRole;
import dev.mitosis.testkit.DualMasterPair;
import dev.mitosis.testkit.ItEnvironment;
import dev.mitosis.testkit.MariaDbServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * kill -9 of a purging JVM at random moments, then a resume in another process: the resumed run starts after the
 * last committed chunk (the checkpoint counts add up to exactly the residue, so no range is deleted twice or
 * skipped), and the end state is the one of an uninterrupted run: every owned, misplaced and NULL-key row
 * unchanged, no row of the residue left. Trials take their kill points from a seed printed at the start
 * ({@code -Dmitosis.seed} replays it; {@code -Dmitosis.kill.trials} sets how many, default 5, at least 3).
 */
class PurgeKillIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String COLUMNS = "id, IFNULL(uid, 'N'), payload, n";
    private static DualMasterPair pair;
    private static Path dir;

    @BeforeAll
    static void startPair() throws SQLException {
        dir = ItEnvironment.dirFor(PurgeKillIT.class);
        MariaDbServer.Builder[] b = DualMasterPair.builders(dir, "p0", 0);
        pair = DualMasterPair.start(b[0].port(ItEnvironment.port(0)), b[1].port(ItEnvironment.port(1)));
        PurgeFixture.createTables(pair.a());
        PurgeFixture.load(pair.a(), 11, 3000);
        assertThat(pair.awaitInSync(WAIT)).isTrue();
        pair.cut();
        pair.a().execute("CREATE DATABASE tmpl", "CREATE TABLE tmpl.accounts LIKE app.accounts",
                "INSERT INTO tmpl.accounts SELECT * FROM app.accounts");
    }

    @AfterAll
    static void stopPair() {
        if (pair != null) {
            pair.close();
        }
    }

    @Test
    void killedAtRandomMomentsThenResumedEndsAsAnUninterruptedRun() throws Exception {
        long seed = Long.getLong("mitosis.seed", System.nanoTime());
        int trials = Math.max(3, Integer.getInteger("mitosis.kill.trials", 5));
        System.err.println("PurgeKillIT seed=" + seed + " trials=" + trials + " (replay with -Dmitosis.seed=" + seed
                + ")");
        Random random = new Random(seed);
        MariaDbServer a = pair.a();
        long residue = PurgeFixture.expectedCounts(a, "accounts", "uid", ServerRole.A).purge();
        Map<String, String> uninterrupted = PurgeFixture.rowChecksums(a, "tmpl.accounts", "id", COLUMNS);
        uninterrupted.keySet().retainAll(PurgeFixture.rowChecksums(a, "tmpl.accounts WHERE uid IS NULL"
                + " OR MOD(MOD(uid, 4) + 4, 4) <> 2", "id", COLUMNS).keySet());

        for (int trial = 1; trial <= trials; trial++) {
            a.execute("DELETE FROM app.accounts", "INSERT INTO app.accounts SELECT * FROM tmpl.accounts",
                    "CREATE DATABASE IF NOT EXISTS _mitosis", "DROP TABLE IF EXISTS _mitosis.purge_checkpoint");
            int chunksBeforeKill = 1 + random.nextInt(12);
            long extraDelayMs = random.nextInt(25);
            killChildAfter(chunksBeforeKill, extraDelayMs);
            long deletedBefore = residue - PurgeFixture.expectedCounts(a, "accounts", "uid", ServerRole.A).purge();
            String checkpointed = a.queryString("SELECT COALESCE(SUM(rows_deleted), 0) FROM _mitosis.purge_checkpoint");
            // The checkpoint commits with its chunk: what it counts is exactly what is gone.
            assertThat(Long.parseLong(checkpointed)).as("trial %d checkpoint vs rows gone", trial)
                    .isEqualTo(deletedBefore);

            PurgeReport resumed = Purger.builder(new PurgeTarget(PurgeFixture.SPLIT, 0, a.name(),
                            PurgeFixture.sessions(a)))
                    .tables(List.of("app"), PurgeFixture.RULES)
                    .only(List.of("app.accounts"))
                    .settings(PurgeSettings.defaults().withChunks(20, 15, 40).withMaxRowsPerSecond(0))
                    .interlocks(List.of(PurgeFixture.cutInterlock(pair)))
                    .build().run();

            System.err.printf("PurgeKillIT trial %d: killed after %d chunk lines +%d ms, %d of %d rows deleted before;"
                    + " resumed from %s%n", trial, chunksBeforeKill, extraDelayMs, deletedBefore, residue,
                    resumed.tables().get(0).resumedFrom().orElse("the start"));
            assertThat(resumed.outcome()).as(resumed.reason()).isEqualTo(PurgeReport.Outcome.DONE);
            TableResult table = resumed.tables().get(0);
            assertThat(table.rowsDeleted()).isEqualTo(residue - deletedBefore);
            assertThat(table.rowsDeletedTotal()).isEqualTo(residue);
            if (deletedBefore > 0) {
                assertThat(table.resumedFrom()).isPresent();
            }
            assertThat(PurgeFixture.rowChecksums(a, "app.accounts", "id", COLUMNS)).isEqualTo(uninterrupted);
        }
    }

    /** Starts a purging JVM, kills it (SIGKILL) after {@code chunks} chunk lines and {@code delayMs} more. */
    private static void killChildAfter(int chunks, long delayMs) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                PurgeChild.class.getName(), Integer.toString(pair.a().port()), pair.a().adminPassword(),
                Integer.toString(pair.a0().port()), pair.a0().adminPassword(), "1500")
                .redirectError(dir.resolve("child.err").toFile())
                .start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8))) {
            int seen = 0;
            String line;
            while (seen < chunks && (line = out.readLine()) != null) {
                if (line.startsWith("chunk ")) {
                    seen++;
                }
            }
            await().pollDelay(Duration.ofMillis(delayMs)).atMost(Duration.ofSeconds(1)).until(() -> true);
        } finally {
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
    }
}
