package dev.mitosis.purger;

import dev.mitosis.connectors.work.KeySplit;
import dev.mitosis.connectors.work.KeySplitter;
import dev.mitosis.connectors.work.KeySpan;
import dev.mitosis.purger.proof.PurgeCheckpoints;
import dev.mitosis.testkit.ItEnvironment;
import dev.mitosis.testkit.MariaDbServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.StringJoiner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Purges in key ranges on a real server, each range a run of its own in an order of its own: a composite key with a
 * text column and a binary key. A range deletes exactly the purged residue inside its span and nothing outside it;
 * one stopped after its first chunk resumes from its own checkpoint; when every range is done, exactly the owned
 * rows are left and the table is checkpointed done with every range's rows.
 */
class PurgeRangeIT {

    /** New shard 0 of 4 (2 old shards) is A of pair 0: it purges its sibling's residue 2 (uids are >= 0 here). */
    private static final String RESIDUE = "MOD(uid, 4) = 2";
    private static MariaDbServer server;

    @BeforeAll
    static void startServer() {
        server = MariaDbServer.builder("range-it").baseDir(ItEnvironment.dirFor(PurgeRangeIT.class))
                .port(ItEnvironment.port(0)).build().start();
        server.execute("CREATE DATABASE app",
                "CREATE TABLE app.events (tag VARCHAR(8) NOT NULL, seq INT NOT NULL, uid BIGINT NOT NULL,"
                        + " body VARCHAR(16), PRIMARY KEY (tag, seq))",
                "INSERT INTO app.events SELECT CONCAT('t', seq % 13), seq, (seq * 7919) % 10007, CONCAT('b', seq)"
                        + " FROM app.seq_1_to_2000",
                "CREATE TABLE app.blobs (k VARBINARY(8) NOT NULL PRIMARY KEY, uid BIGINT NOT NULL)",
                "INSERT INTO app.blobs SELECT UNHEX(LPAD(HEX(seq * 131 % 65536), 4, '0')), seq FROM app.seq_1_to_600",
                "ANALYZE TABLE app.events, app.blobs");
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    private static Purger.Builder purger(String table, PurgeRange range) {
        return Purger.builder(new PurgeTarget(PurgeFixture.SPLIT, 0, server.name(), PurgeFixture.sessions(server)))
                .tables(List.of("app"), PurgeFixture.RULES)
                .settings(PurgeSettings.defaults().withChunks(50, 40, 400).withMaxRowsPerSecond(0))
                .only(List.of(table)).range(range);
    }

    private static KeySplit split(String table, List<String> key, int parts) throws SQLException {
        try (Connection c = server.connect("")) {
            return KeySplitter.split(c, "app", table, key, parts, server.name());
        }
    }

    private static String rows(String table, String columns) {
        return server.queryString("SELECT CONCAT(COUNT(*), ':', COALESCE(SUM(CRC32(CONCAT_WS('/', " + columns
                + "))), 0)) FROM app." + table);
    }

    /** Residue rows of {@code events} inside (or, {@code inside} false, outside) a span, by row comparison. */
    private static long residueIn(KeySpan span, boolean inside) throws SQLException {
        StringJoiner where = new StringJoiner(" AND ");
        span.lowerExclusive().ifPresent(l -> where.add("(tag, seq) > (?, ?)"));
        span.upperInclusive().ifPresent(u -> where.add("(tag, seq) <= (?, ?)"));
        try (Connection c = server.connect("");
             PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM app.events WHERE " + RESIDUE + " AND "
                     + (inside ? "" : "NOT ") + "(" + where + ")")) {
            int i = 1;
            for (Optional<List<String>> bound : List.of(span.lowerExclusive(), span.upperInclusive())) {
                if (bound.isPresent()) {
                    ps.setString(i++, bound.get().get(0));
                    ps.setLong(i++, Long.parseLong(bound.get().get(1)));
                }
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Test
    void compositeTextKeyPurgedRangeByRangeLeavesExactlyTheOwnedRows() throws Exception {
        String columns = "tag, seq, uid, body";
        String kept = server.queryString("SELECT CONCAT(COUNT(*), ':', SUM(CRC32(CONCAT_WS('/', " + columns
                + ")))) FROM app.events WHERE NOT " + RESIDUE);
        long residue = Long.parseLong(server.queryString("SELECT COUNT(*) FROM app.events WHERE " + RESIDUE));
        KeySplit split = split("events", List.of("tag", "seq"), 4);
        assertThat(split.boundaries()).hasSize(3);
        KeySpan third = split.span(2).orElseThrow();
        long outside = residueIn(third, false);
        assertThat(residueIn(third, true)).isPositive();

        PurgeReport two = purger("app.events", new PurgeRange(2, 4, Optional.of(third))).build().run();

        assertThat(two.outcome()).isEqualTo(PurgeReport.Outcome.DONE);
        assertThat(residueIn(third, true)).as("the range's residue is gone").isZero();
        assertThat(residueIn(third, false)).as("nothing outside the range is touched").isEqualTo(outside);
        try (Connection c = server.connect("")) {
            PurgeCheckpoints.Recorded partial = PurgeCheckpoints.of(c, 0, "app", "events").orElseThrow();
            assertThat(partial.done()).as("one range of four").isFalse();
            assertThat(partial.rowsDeleted()).isEqualTo(two.rowsDeleted()).isPositive();
        }

        // Range 1 stops after its first chunk and resumes from its own checkpoint.
        PurgeRange second = new PurgeRange(1, 4, split.span(1));
        Purger[] stopped = new Purger[1];
        stopped[0] = purger("app.events", second).listener(new PurgeListener() {
            @Override
            public void chunk(PurgeProgress progress) {
                stopped[0].stop();
            }
        }).build();
        PurgeReport interrupted = stopped[0].run();
        assertThat(interrupted.outcome()).isEqualTo(PurgeReport.Outcome.INTERRUPTED);
        assertThat(interrupted.rowsDeleted()).isPositive();
        PurgeReport resumed = purger("app.events", second).build().run();
        assertThat(resumed.outcome()).isEqualTo(PurgeReport.Outcome.DONE);
        assertThat(resumed.tables().get(0).resumedFrom()).isPresent();

        for (int range : new int[] {3, 0}) {
            assertThat(purger("app.events", new PurgeRange(range, 4, split.span(range))).build().run().outcome())
                    .isEqualTo(PurgeReport.Outcome.DONE);
        }

        assertThat(server.queryString("SELECT COUNT(*) FROM app.events WHERE " + RESIDUE)).isEqualTo("0");
        assertThat(rows("events", columns)).as("every owned row is still there").isEqualTo(kept);
        assertThat(server.queryString("SELECT CONCAT(COUNT(*), ':', SUM(done), ':', SUM(rows_deleted))"
                + " FROM _mitosis.purge_range_checkpoint WHERE new_shard = 0 AND table_name = 'events'"))
                .isEqualTo("4:4:" + residue);
        assertThat(server.queryString("SELECT CONCAT(done, ':', rows_deleted) FROM _mitosis.purge_checkpoint"
                + " WHERE new_shard = 0 AND table_name = 'events'")).isEqualTo("1:" + residue);
    }

    @Test
    void binaryKeyRangesAndAnEmptyRangeCompleteTheTable() throws Exception {
        String kept = server.queryString("SELECT CONCAT(COUNT(*), ':', SUM(CRC32(CONCAT_WS('/', HEX(k), uid))))"
                + " FROM app.blobs WHERE NOT " + RESIDUE);
        long residue = Long.parseLong(server.queryString("SELECT COUNT(*) FROM app.blobs WHERE " + RESIDUE));
        KeySplit split = split("blobs", List.of("k"), 3);
        assertThat(split.boundaries()).hasSize(2);
        assertThat(split.boundaries().get(0).get(0)).startsWith(KeySplitter.BYTES_PREFIX);

        for (int range : new int[] {1, 2, 0}) {
            assertThat(purger("app.blobs", new PurgeRange(range, 3, split.span(range))).build().run().outcome())
                    .isEqualTo(PurgeReport.Outcome.DONE);
        }
        // A fourth range of a table cut in 4 with no key past the last cut: done at once, deleting nothing.
        assertThat(purger("app.blobs", new PurgeRange(3, 4, Optional.empty())).build().run().rowsDeleted()).isZero();

        assertThat(server.queryString("SELECT COUNT(*) FROM app.blobs WHERE " + RESIDUE)).isEqualTo("0");
        assertThat(server.queryString("SELECT CONCAT(COUNT(*), ':', SUM(CRC32(CONCAT_WS('/', HEX(k), uid))))"
                + " FROM app.blobs")).isEqualTo(kept);
        assertThat(server.queryString("SELECT CONCAT(done, ':', rows_deleted) FROM _mitosis.purge_checkpoint"
                + " WHERE new_shard = 0 AND table_name = 'blobs'")).isEqualTo("1:" + residue);
        assertThat(server.queryString("SELECT done FROM _mitosis.purge_range_checkpoint WHERE new_shard = 0"
                + " AND table_name = 'blobs' AND range_parts = 4 AND range_index = 3")).isEqualTo("1");
        // A process that died between the last range's end and the table's row: the ranges still say done.
        server.execute("DELETE FROM _mitosis.purge_checkpoint WHERE new_shard = 0 AND table_name = 'blobs'");
        try (Connection c = server.connect("")) {
            PurgeCheckpoints.Recorded recorded = PurgeCheckpoints.of(c, 0, "app", "blobs").orElseThrow();
            assertThat(recorded.done()).isTrue();
            assertThat(recorded.rowsDeleted()).isEqualTo(residue);
        }
    }
}
