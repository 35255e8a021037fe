package dev.mitosis.verifier;

import dev.mitosis.connectors.work.KeySplit;
import dev.mitosis.testkit.DualMasterPair;
import dev.mitosis.testkit.ItEnvironment;
import dev.mitosis.testkit.MariaDbServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A table verified in key ranges ({@link TableRange}) is verified as a whole: the ranges' rows add up to the whole
 * table's, and every row that differs — also rows below or above A's keys, which only the first and last ranges
 * (open below and above) reach — is found by exactly one range, the one holding it. Three key shapes: one integer
 * column (cut by estimates), two columns with text (cut by walking the key), and bytes (keys that are not valid
 * UTF-8: each differing row is still found and re-read by its exact bytes, not left HOT).
 */
class KeyRangeVerificationIT {

    private static final int PARTS = 4;
    private static final List<String> TABLES = List.of("app.big", "app.bin", "app.pairs");
    private static final VerifySettings SETTINGS = VerifySettings.defaults().withChunkRows(64, 64)
            .withRecheck(3, Duration.ofSeconds(5));
    private static DualMasterPair pair;

    @BeforeAll
    static void startPairAndDiverge() {
        Path dir = ItEnvironment.dirFor(KeyRangeVerificationIT.class);
        MariaDbServer.Builder[] b = DualMasterPair.builders(dir, "p0", 0);
        pair = DualMasterPair.start(b[0].port(ItEnvironment.port(0)), b[1].port(ItEnvironment.port(1)));
        pair.a().execute("CREATE DATABASE app", "USE app",
                "CREATE TABLE app.big (id BIGINT PRIMARY KEY, v VARCHAR(20))",
                "INSERT INTO app.big SELECT seq * 3, CONCAT('v', seq) FROM seq_1_to_2000",
                "CREATE TABLE app.pairs (k1 INT NOT NULL, k2 VARCHAR(8) NOT NULL, x VARCHAR(10),"
                        + " PRIMARY KEY (k1, k2))",
                "INSERT INTO app.pairs SELECT s.seq, CHAR(96 + t.seq), 'x' FROM seq_1_to_60 s, seq_1_to_20 t",
                "CREATE TABLE app.bin (k VARBINARY(20) PRIMARY KEY, x INT)",
                "INSERT INTO app.bin SELECT UNHEX(SHA1(seq)), seq FROM seq_1_to_500");
        assertThat(pair.awaitInSync(Duration.ofSeconds(60))).isTrue();
        pair.a0().execute("SET sql_log_bin=0",
                "DELETE FROM app.big WHERE id = 1500",
                "UPDATE app.big SET v = 'diverged' WHERE id = 4800",
                "INSERT INTO app.big VALUES (-7, 'below A'), (999999, 'above A')",
                "UPDATE app.pairs SET x = 'y' WHERE k1 = 45 AND k2 = 'c'",
                "INSERT INTO app.pairs VALUES (0, 'a', 'below'), (61, 'z', 'above')",
                "UPDATE app.bin SET x = -1 WHERE k = UNHEX(SHA1(250))",
                "DELETE FROM app.bin WHERE k = UNHEX(SHA1(77))");
    }

    @AfterAll
    static void stopPair() {
        if (pair != null) {
            pair.close();
        }
    }

    @Test
    void rangesVerifiedApartAddUpToTheWholeTable() throws Exception {
        PairReport whole = PairFixture.verifier(pair, SETTINGS).verify(PairVerifier.Request.everything());

        List<TableRange> ranges = new ArrayList<>();
        Map<String, List<String>> entries = new LinkedHashMap<>();
        for (String table : TABLES) {
            KeySplit cut = PairVerifier.split(PairFixture.pairOf(pair), SETTINGS, table, PARTS);
            assertThat(cut.boundaries()).as("the cut of " + table).hasSize(PARTS - 1);
            List<String> names = new ArrayList<>();
            for (int i = 0; i < PARTS; i++) {
                TableRange range = new TableRange(table, i, PARTS, cut.span(i).orElseThrow());
                ranges.add(range);
                names.add(range.name());
            }
            entries.put(table, names);
        }
        List<RowDifference> diffs = new ArrayList<>();
        PairReport ranged = PairFixture.verifier(pair, SETTINGS).verify(new PairVerifier.Request(List.of(),
                Optional.empty(), VerifyListener.NONE, diffs::add).withRanges(ranges));

        assertThat(whole.verdict()).isEqualTo(Verdict.FAIL);
        TableReport bin = whole.tables().stream().filter(t -> t.table().equals("app.bin")).findFirst().orElseThrow();
        assertThat(bin.verdict()).as("differences under a binary key are rows, not a hot chunk").isEqualTo(Verdict.FAIL);
        assertThat(bin.differences()).isEqualTo(2);
        assertThat(whole.tables()).allSatisfy(t -> assertThat(t.coverage().full()).as(t.toString()).isTrue());
        assertThat(ranged.tables()).extracting(TableReport::table)
                .containsExactlyElementsOf(new TreeSet<>(ranges.stream().map(TableRange::name).toList()));
        for (String table : TABLES) {
            TableReport w = whole.tables().stream().filter(t -> t.table().equals(table)).findFirst().orElseThrow();
            List<TableReport> parts = ranged.tables().stream()
                    .filter(t -> TableRange.tableOf(t.table()).equals(table)).toList();
            assertThat(parts).hasSize(PARTS).allSatisfy(t -> assertThat(t.coverage().full()).isTrue());
            assertThat(parts.stream().mapToLong(t -> t.coverage().rowsA()).sum()).as(table + " rows of A")
                    .isEqualTo(w.coverage().rowsA());
            assertThat(parts.stream().mapToLong(t -> t.coverage().rowsA0()).sum()).as(table + " rows of A0")
                    .isEqualTo(w.coverage().rowsA0());
            assertThat(keysByRange(parts).values().stream().flatMap(List::stream).sorted().toList())
                    .as(table + ": each differing row found once, by the range holding it")
                    .isEqualTo(keys(w).stream().sorted().toList());
        }
        // The rows below and above A's keys are the first and the last range's.
        Map<String, List<String>> big = keysByRange(ranged.tables().stream()
                .filter(t -> t.table().startsWith("app.big#")).toList());
        assertThat(big.get("app.big#0/4")).contains("{id=-7}");
        assertThat(big.get("app.big#3/4")).contains("{id=999999}");
        assertThat(diffs).hasSize((int) whole.totals().differences());

        // Merged back per table, the ranges say what the whole run says.
        PairReport merged = VerdictMerge.merge(0, entries, VerdictMerge.split(ranged), Instant.EPOCH);
        assertThat(merged.verdict()).isEqualTo(whole.verdict());
        for (TableReport t : merged.tables()) {
            TableReport w = whole.tables().stream().filter(x -> x.table().equals(t.table())).findFirst().orElseThrow();
            assertThat(t.verdict()).isEqualTo(w.verdict());
            assertThat(t.differences()).isEqualTo(w.differences());
            assertThat(t.coverage().rowsA()).isEqualTo(w.coverage().rowsA());
        }
    }

    private static List<String> keys(TableReport t) {
        return t.samples().stream().map(d -> d.key().toString()).toList();
    }

    private static Map<String, List<String>> keysByRange(List<TableReport> parts) {
        Map<String, List<String>> keys = new TreeMap<>();
        parts.forEach(t -> keys.put(t.table(), keys(t)));
        return keys;
    }
}
