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

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Divergences injected on A0 alone ({@code sql_log_bin=0}) are each found with the right row, kind and columns;
 * the suggested repair statements, run on A0, make the pair PASS. The two servers run different time zones, a
 * different default character set and sql_mode, so the PASS also proves the sessions pin what changes how values
 * print.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DivergenceIT {

    private static DualMasterPair pair;
    private static final List<RowDifference> found = new ArrayList<>();
    private static final VerifySettings SMALL_CHUNKS = VerifySettings.defaults().withChunkRows(16, 16)
            .withRecheck(3, Duration.ofSeconds(5));

    @BeforeAll
    static void startPairAndDiverge() {
        Path dir = ItEnvironment.dirFor(DivergenceIT.class);
        MariaDbServer.Builder[] b = DualMasterPair.builders(dir, "p0", 0);
        pair = DualMasterPair.start(
                b[0].port(ItEnvironment.port(0)).option("--default-time-zone=+05:00"),
                b[1].port(ItEnvironment.port(1)).option("--default-time-zone=-03:00")
                        .option("--character-set-server=latin1").option("--collation-server=latin1_swedish_ci")
                        .option("--sql-mode=PAD_CHAR_TO_FULL_LENGTH,ANSI_QUOTES"));
        MariaDbServer a = pair.a();
        a.execute("CREATE DATABASE app CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci",
                PairFixture.ACCOUNTS_DDL, PairFixture.insertAccounts(1, 200),
                "CREATE TABLE app.pairs (k1 INT NOT NULL, k2 VARCHAR(8) NOT NULL, x VARCHAR(10), y VARCHAR(10),"
                        + " c CHAR(6), PRIMARY KEY (k1, k2)) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci",
                "USE app", "INSERT INTO app.pairs SELECT s.seq, CHAR(96 + t.seq), 'ab', 'c', 'pad' FROM seq_1_to_5 s, seq_1_to_5 t",
                "CREATE TABLE app.nopk (a INT, b INT)", "INSERT INTO app.nopk VALUES (1, 2)",
                "CREATE TABLE app.edges (id INT PRIMARY KEY, d DATE NULL, dt DATETIME(6) NULL, t TIME(6) NULL,"
                        + " n DECIMAL(10,2) NULL, s VARCHAR(10) NULL, b BIT(4) NULL, f DOUBLE NULL, y YEAR NULL)",
                "INSERT INTO app.edges (id) SELECT seq FROM seq_1_to_12",
                "SET sql_log_bin=0", "CREATE TABLE app.only_a (id INT PRIMARY KEY)");
        assertThat(pair.awaitInSync(Duration.ofSeconds(30))).isTrue();
        // Rows whose values joined by ',' with NULLs skipped read the same on both sides: only the digest's NULL
        // digits tell (1, b) apart, only its string lengths (2, a).
        a.execute("SET sql_log_bin=0", "UPDATE app.pairs SET y = NULL WHERE k1 = 1 AND k2 = 'b'",
                "UPDATE app.pairs SET x = 'a,b', y = 'c' WHERE k1 = 2 AND k2 = 'a'");
        pair.a0().execute("SET sql_log_bin=0", "UPDATE app.pairs SET x = NULL, y = 'ab' WHERE k1 = 1 AND k2 = 'b'",
                "UPDATE app.pairs SET x = 'a', y = 'b,c' WHERE k1 = 2 AND k2 = 'a'");
        pair.a0().execute("SET sql_log_bin=0", "SET time_zone='+00:00'",
                "DELETE FROM app.accounts WHERE uid = 10",
                "INSERT INTO app.accounts (id, uid, created_at) VALUES (999999, 100000, '2024-01-01')",
                "INSERT INTO app.accounts (id, uid, created_at) VALUES (2, 100001, '2024-01-01')",
                "UPDATE app.accounts SET email = UPPER(email) WHERE uid = 20",
                "UPDATE app.accounts SET display_name = CONCAT(display_name, ' ') WHERE uid = 36",
                "UPDATE app.accounts SET display_name = REPLACE(display_name, 'Ü', 'U') WHERE uid = 22",
                "UPDATE app.accounts SET balance = balance + 0.000001 WHERE uid = 23",
                "UPDATE app.accounts SET score = score + POW(2, FLOOR(LOG2(score)) - 52) WHERE uid = 24",
                "UPDATE app.accounts SET ratio = ratio + POW(2, FLOOR(LOG2(ratio)) - 23) WHERE uid = 25",
                "UPDATE app.accounts SET created_at = created_at + INTERVAL 1 MICROSECOND WHERE uid = 26",
                "UPDATE app.accounts SET avatar = CONCAT(LEFT(avatar, 1), X'01', SUBSTRING(avatar, 3)) WHERE uid = 27",
                "UPDATE app.accounts SET display_name = '' WHERE uid = 28",
                "UPDATE app.accounts SET status = 'closed' WHERE uid = 29",
                "UPDATE app.accounts SET verified = 1 - verified WHERE uid = 30",
                "UPDATE app.accounts SET birth_date = birth_date + INTERVAL 1 DAY WHERE uid = 31",
                "UPDATE app.accounts SET updated_at = updated_at + INTERVAL 1000 MICROSECOND WHERE uid = 32",
                "UPDATE app.accounts SET token = UNHEX(SHA1('other')) WHERE uid = 33",
                "UPDATE app.accounts SET prefs = '{\"n\":34}' WHERE uid = 34",
                "UPDATE app.accounts SET uid = 1000035 WHERE uid = 35",
                "UPDATE app.accounts a JOIN app.accounts b ON a.uid = 40 AND b.uid = 41"
                        + " SET a.email = b.email, b.email = a.email",
                "UPDATE app.pairs SET x = 'a', y = 'bc' WHERE k1 = 3 AND k2 = 'c'",
                "UPDATE app.pairs SET k2 = 'D' WHERE k1 = 4 AND k2 = 'd'",
                "UPDATE app.pairs SET c = 'PAD' WHERE k1 = 5 AND k2 = 'e'");
        // NULL against each type's zero, empty or invalid value, and invalid or zero values against each other: the
        // digest tells NULL by the absence of a value, so a value that converted to nothing would hide here.
        String invalidDates = "SET sql_mode = 'ALLOW_INVALID_DATES'";
        a.execute("SET sql_log_bin=0", invalidDates, "UPDATE app.edges SET d = '2024-02-30' WHERE id = 9",
                "UPDATE app.edges SET t = '-00:00:01' WHERE id = 10", "UPDATE app.edges SET d = '0000-00-00' WHERE id = 11",
                "UPDATE app.edges SET dt = '2024-00-00 00:00:00' WHERE id = 12");
        pair.a0().execute("SET sql_log_bin=0", invalidDates, "UPDATE app.edges SET d = '0000-00-00' WHERE id = 1",
                "UPDATE app.edges SET d = '2024-00-00' WHERE id = 2",
                "UPDATE app.edges SET dt = '0000-00-00 00:00:00' WHERE id = 3",
                "UPDATE app.edges SET t = '00:00:00' WHERE id = 4", "UPDATE app.edges SET n = 0 WHERE id = 5",
                "UPDATE app.edges SET s = '' WHERE id = 6", "UPDATE app.edges SET b = 0, y = 0 WHERE id = 7",
                "UPDATE app.edges SET f = 0 WHERE id = 8", "UPDATE app.edges SET d = '2024-02-31' WHERE id = 9",
                "UPDATE app.edges SET t = '00:00:01' WHERE id = 10", "UPDATE app.edges SET d = '2024-00-00' WHERE id = 11",
                "UPDATE app.edges SET dt = '0000-00-00 00:00:00' WHERE id = 12");
    }

    @AfterAll
    static void stopPair() {
        if (pair != null) {
            pair.close();
        }
    }

    private static String idOf(int uid) {
        return pair.a().queryString("SELECT id FROM app.accounts WHERE uid = " + uid);
    }

    @Test
    @Order(0)
    void aScopeWithNothingComparableIsNeverPass() throws Exception {
        PairReport onlyNoKey = PairFixture.verifier(pair, SMALL_CHUNKS).verify(new PairVerifier.Request(
                List.of("app.nopk"), java.util.Optional.empty(), VerifyListener.NONE, d -> { }));
        assertThat(onlyNoKey.verdict()).isEqualTo(Verdict.UNKNOWN);
        assertThat(onlyNoKey.tables()).singleElement().satisfies(t -> {
            assertThat(t.verdict()).isEqualTo(Verdict.UNKNOWN);
            assertThat(t.reasons().get(0)).contains("no primary key");
            assertThat(t.coverage().full()).isFalse();
        });
        assertThat(onlyNoKey.reasons()).anyMatch(r -> r.startsWith("nothing was compared"));

        pair.a().execute("CREATE DATABASE IF NOT EXISTS empty_scope");
        assertThat(pair.awaitInSync(Duration.ofSeconds(30))).isTrue();
        PairReport empty = new PairVerifier(PairFixture.pairOf(pair), List.of("empty_scope"), SMALL_CHUNKS,
                java.time.Clock.systemUTC(), dev.mitosis.connectors.time.Sleeper.SYSTEM)
                .verify(PairVerifier.Request.everything());
        assertThat(empty.verdict()).isEqualTo(Verdict.UNKNOWN);
        assertThat(empty.totals().tablesInScope()).isZero();
        assertThat(empty.reasons()).anyMatch(r -> r.startsWith("nothing was compared"));
    }

    @Test
    @Order(1)
    void everyInjectedDifferenceIsFoundWithItsRowAndColumns() throws Exception {
        PairReport report = PairFixture.verifier(pair, SMALL_CHUNKS).verify(new PairVerifier.Request(List.of(),
                java.util.Optional.empty(), VerifyListener.NONE, found::add));
        System.err.println(ReportJson.pretty(report));

        assertThat(report.verdict()).isEqualTo(Verdict.FAIL);
        Map<String, TableReport> tables = report.tables().stream()
                .collect(Collectors.toMap(TableReport::table, t -> t, (x, y) -> x, TreeMap::new));
        assertThat(tables.get("app.nopk").verdict()).isEqualTo(Verdict.UNKNOWN);
        assertThat(tables.get("app.nopk").coverage().skipped()).contains("no primary key");
        assertThat(tables.get("app.only_a").verdict()).isEqualTo(Verdict.FAIL);
        assertThat(tables.get("app.only_a").reasons().get(0)).contains("missing on p0-a0");

        Map<String, Map<String, String>> byTable = new TreeMap<>();
        for (RowDifference d : found) {
            String what = d.kind() + (d.kind() == DifferenceKind.COLUMNS_DIFFER ? " " + d.columns() : "");
            byTable.computeIfAbsent(d.table(), t -> new TreeMap<>()).put(d.key().values().toString(), what);
        }
        assertThat(byTable).containsOnlyKeys("app.accounts", "app.pairs", "app.edges");
        Map<String, String> accounts = byTable.get("app.accounts");
        Map<String, String> pairs = byTable.get("app.pairs");
        Map<String, String> expected = new TreeMap<>();
        expected.put("[" + idOf(10) + "]", "ONLY_ON_A");
        expected.put("[999999]", "ONLY_ON_A0");
        expected.put("[2]", "ONLY_ON_A0");
        String[][] columnCases = {{"20", "email"}, {"36", "display_name"}, {"22", "display_name"}, {"23", "balance"},
            {"24", "score"}, {"25", "ratio"}, {"26", "created_at"}, {"27", "avatar"}, {"28", "display_name"},
            {"29", "status"}, {"30", "verified"}, {"31", "birth_date"}, {"32", "updated_at"}, {"33", "token"},
            {"34", "prefs"}, {"35", "uid"}, {"40", "email"}, {"41", "email"}};
        for (String[] c : columnCases) {
            expected.put("[" + idOf(Integer.parseInt(c[0])) + "]", "COLUMNS_DIFFER [" + c[1] + "]");
        }
        assertThat(accounts).isEqualTo(expected);
        assertThat(pairs).containsExactlyInAnyOrderEntriesOf(Map.of(
                "[1, b]", "COLUMNS_DIFFER [x, y]",
                "[2, a]", "COLUMNS_DIFFER [x, y]",
                "[3, c]", "COLUMNS_DIFFER [x, y]",
                "[4, d]", "ONLY_ON_A",
                "[4, D]", "ONLY_ON_A0",
                "[5, e]", "COLUMNS_DIFFER [c]"));
        Map<String, String> edges = new TreeMap<>();
        String[] edgeColumns = {"d", "d", "dt", "t", "n", "s", "b, y", "f", "d", "t", "d", "dt"};
        for (int id = 1; id <= edgeColumns.length; id++) {
            edges.put("[" + id + "]", "COLUMNS_DIFFER [" + edgeColumns[id - 1] + "]");
        }
        assertThat(byTable.get("app.edges")).isEqualTo(edges);
        assertThat(tables.get("app.accounts").differences()).isEqualTo(expected.size());
        assertThat(tables.get("app.accounts").samples()).hasSize(TableReport.MAX_SAMPLES);
        assertThat(tables.get("app.accounts").coverage().rowsA()).isEqualTo(200);
        assertThat(tables.get("app.accounts").coverage().rowsA0()).isEqualTo(201);
    }

    @Test
    @Order(3)
    void aDoublePrintsInAFormThatReadsBackToTheSameBits() {
        // Shown values and repair literals rely on it: the text of a DOUBLE (and of a FLOAT widened) keeps every bit.
        String mismatches = pair.a().queryString("SELECT COUNT(*) FROM"
                + " (SELECT RAND(seq) * POW(10, CAST(seq AS SIGNED) % 60 - 30) AS d FROM app.seq_1_to_20000) v WHERE CAST(CAST(v.d AS CHAR) AS DOUBLE) <> v.d"
                + " OR CAST(CAST(CAST(CAST(v.d AS FLOAT) AS DOUBLE) AS CHAR) AS DOUBLE) <> CAST(CAST(v.d AS FLOAT) AS DOUBLE)");
        assertThat(mismatches).isEqualTo("0");
        // The digest keeps a DOUBLE's (and a widened FLOAT's) 8 bytes: reading them back gives the same bits.
        String columnMismatches = pair.a().queryString("SELECT COUNT(*) FROM app.accounts WHERE"
                + " COLUMN_GET(COLUMN_CREATE(1, score AS DOUBLE), 1 AS DOUBLE) <> score"
                + " OR COLUMN_GET(COLUMN_CREATE(1, ratio AS DOUBLE), 1 AS DOUBLE) <> CAST(ratio AS DOUBLE)");
        assertThat(columnMismatches).isEqualTo("0");
    }

    @Test
    @Order(2)
    void theSuggestedRepairsOnA0MakeThePairPass() throws Exception {
        List<String> repair = new ArrayList<>(RowDifference.REPAIR_SESSION);
        found.forEach(d -> repair.add(d.repairOnA0()));
        pair.a0().execute(repair.toArray(String[]::new));
        pair.a().execute("SET sql_log_bin=0", "DROP TABLE app.only_a");
        pair.a().execute("DROP TABLE app.nopk");
        assertThat(pair.awaitInSync(Duration.ofSeconds(30))).isTrue();

        PairReport report = PairFixture.verifier(pair, SMALL_CHUNKS).verify(PairVerifier.Request.everything());
        System.err.println(ReportJson.pretty(report));

        assertThat(report.reasons()).isEmpty();
        assertThat(report.verdict()).isEqualTo(Verdict.PASS);
        assertThat(report.totals().tablesCompared()).isEqualTo(3);
        assertThat(report.totals().rowsA()).isEqualTo(report.totals().rowsA0()).isEqualTo(237);
        assertThat(report.gtidA()).isNotEmpty();
    }
}
