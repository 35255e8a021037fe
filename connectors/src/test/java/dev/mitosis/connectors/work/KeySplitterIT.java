package dev.mitosis.connectors.work;

import dev.mitosis.testkit.ItEnvironment;
import dev.mitosis.testkit.MariaDbServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.StringJoiner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Splits made on a real MariaDB: whatever the key (integer with gaps, unsigned at its edges, composite with text,
 * binary), the ranges hold every row exactly once, and the cut spreads the rows over the ranges.
 */
class KeySplitterIT {

    private static MariaDbServer server;

    @BeforeAll
    static void startServer() {
        server = MariaDbServer.builder("keysplit-it")
                .baseDir(ItEnvironment.dirFor(KeySplitterIT.class))
                .port(ItEnvironment.port(0))
                .build()
                .start();
        StringJoiner gappy = new StringJoiner(", ");
        for (int i = 1; i <= 1000; i++) {
            gappy.add("(" + (i * 7 + i % 3) + ")");
        }
        StringJoiner clumped = new StringJoiner(", ");
        for (int i = 1; i <= 1000; i++) {
            clumped.add("(" + (i + (i > 500 ? 1_000_000 : 0)) + ")");
        }
        StringJoiner composite = new StringJoiner(", ");
        StringJoiner binary = new StringJoiner(", ");
        for (int i = 0; i < 400; i++) {
            composite.add("('" + (char) ('a' + i % 26) + "', " + i + ")");
            binary.add("(UNHEX('" + String.format("%04x", i * 131 % 65536) + "'))");
        }
        server.execute("CREATE DATABASE ks",
                "CREATE TABLE ks.gappy (id INT PRIMARY KEY)",
                "INSERT INTO ks.gappy VALUES " + gappy,
                "CREATE TABLE ks.clumped (id BIGINT PRIMARY KEY)",
                "INSERT INTO ks.clumped VALUES " + clumped,
                "CREATE TABLE ks.edges (id BIGINT UNSIGNED PRIMARY KEY)",
                "INSERT INTO ks.edges VALUES (0), (1), (9223372036854775808), (18446744073709551614),"
                        + " (18446744073709551615)",
                "CREATE TABLE ks.composite (tag VARCHAR(8), n INT, PRIMARY KEY (tag, n))",
                "INSERT INTO ks.composite VALUES " + composite,
                "CREATE TABLE ks.bin (k VARBINARY(8) PRIMARY KEY)",
                "INSERT INTO ks.bin VALUES " + binary,
                "CREATE TABLE ks.empty (id INT PRIMARY KEY)",
                "CREATE TABLE ks.two (id INT PRIMARY KEY)",
                "INSERT INTO ks.two VALUES (5), (6)",
                "ANALYZE TABLE ks.composite, ks.bin");
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void anIntegerKeyWithGapsIsCutAndEveryRowFallsInOneRange() throws SQLException {
        KeySplit split = split("gappy", List.of("id"), 4);
        assertThat(split.boundaries()).hasSize(3);
        List<Long> counts = countsPerRange(split);
        assertThat(counts.stream().mapToLong(Long::longValue).sum()).isEqualTo(1000);
        assertThat(counts).allMatch(c -> c >= 200);
    }

    @Test
    void keysInClumpsAreCutWhereTheRowsAreNotWhereTheKeySpaceIs() throws SQLException {
        KeySplit split = split("clumped", List.of("id"), 4);
        List<Long> counts = countsPerRange(split);
        assertThat(counts.stream().mapToLong(Long::longValue).sum()).isEqualTo(1000);
        // Two clumps of 500 keys a million apart: cut evenly over MIN..MAX, two ranges would be empty.
        assertThat(counts).hasSize(4).allMatch(c -> c >= 150);
    }

    @Test
    void unsignedEdgesAreCutWithoutOverflow() throws SQLException {
        KeySplit split = split("edges", List.of("id"), 4);
        assertThat(split.boundaries()).hasSize(3);
        assertThat(countsPerRange(split).stream().mapToLong(Long::longValue).sum()).isEqualTo(5);
    }

    @Test
    void aCompositeKeyIsWalkedAndTheRangesShareTheRowsOut() throws SQLException {
        KeySplit split = split("composite", List.of("tag", "n"), 4);
        assertThat(split.boundaries()).hasSize(3).allMatch(b -> b.size() == 2);
        List<Long> counts = countsPerRange(split);
        assertThat(counts.stream().mapToLong(Long::longValue).sum()).isEqualTo(400);
        assertThat(counts).allMatch(c -> c >= 50);
    }

    @Test
    void aBinaryKeyKeepsItsBytes() throws SQLException {
        KeySplit split = split("bin", List.of("k"), 3);
        assertThat(split.boundaries()).hasSize(2).allMatch(b -> b.get(0).startsWith(KeySplitter.BYTES_PREFIX));
        List<Long> counts = countsPerRange(split);
        assertThat(counts.stream().mapToLong(Long::longValue).sum()).isEqualTo(400);
        assertThat(counts).allMatch(c -> c > 0);
    }

    @Test
    void tablesWithFewerKeysThanPartsLeaveRangesEmpty() throws SQLException {
        KeySplit empty = split("empty", List.of("id"), 4);
        assertThat(empty.boundaries()).isEmpty();
        assertThat(empty.span(0)).contains(KeySpan.ALL);
        KeySplit two = split("two", List.of("id"), 4);
        assertThat(two.boundaries()).hasSize(1);
        assertThat(two.span(2)).isEmpty();
        assertThat(countsPerRange(two)).containsExactly(1L, 1L);
    }

    private static KeySplit split(String table, List<String> key, int parts) throws SQLException {
        try (Connection c = connect()) {
            return KeySplitter.split(c, "ks", table, key, parts, "s1");
        }
    }

    /** Rows per non-empty range, counted by the server with the split's bounds bound as parameters. */
    private static List<Long> countsPerRange(KeySplit split) throws SQLException {
        List<Long> counts = new ArrayList<>();
        String columns = String.join(", ", split.keyColumns().stream().map(c -> "`" + c + "`").toList());
        String marks = String.join(", ", split.keyColumns().stream().map(c -> "?").toList());
        try (Connection c = connect()) {
            for (int i = 0; i < split.parts(); i++) {
                Optional<KeySpan> span = split.span(i);
                if (span.isEmpty()) {
                    continue;
                }
                String sql = "SELECT COUNT(*) FROM ks." + split.table().substring(3) + " WHERE 1 = 1"
                        + span.get().lowerExclusive().map(b -> " AND (" + columns + ") > (" + marks + ")").orElse("")
                        + span.get().upperInclusive().map(b -> " AND (" + columns + ") <= (" + marks + ")").orElse("");
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    int index = 1;
                    for (Optional<List<String>> bound : List.of(span.get().lowerExclusive(),
                            span.get().upperInclusive())) {
                        for (String value : bound.orElse(List.of())) {
                            if (value.startsWith(KeySplitter.BYTES_PREFIX)) {
                                ps.setBytes(index++, Base64.getDecoder().decode(
                                        value.substring(KeySplitter.BYTES_PREFIX.length())));
                            } else {
                                ps.setString(index++, value);
                            }
                        }
                    }
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        counts.add(rs.getLong(1));
                    }
                }
            }
        }
        return counts;
    }

    private static Connection connect() throws SQLException {
        return server.connect("");
    }
}
