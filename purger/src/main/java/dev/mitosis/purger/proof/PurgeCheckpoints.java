package dev.mitosis.purger.proof;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * What the purger recorded for one table of a new shard in {@code _mitosis.purge_checkpoint} (and, while a table
 * purged in key ranges is not done, {@code _mitosis.purge_range_checkpoint}): how many rows its chunks deleted, over
 * every run, and whether it finished. Read-only; the purger writes these rows.
 */
public final class PurgeCheckpoints {

    /** One table's record. */
    public record Recorded(long rowsDeleted, long chunks, boolean done, String updatedAt) {
    }

    private PurgeCheckpoints() {
    }

    /**
     * The record of {@code schema.table} on new shard {@code newShard}, if the purger ever wrote one. A table purged
     * in key ranges and not yet done (its own row is written when every range is) counts its ranges' rows too.
     */
    public static Optional<Recorded> of(Connection c, int newShard, String schema, String table) throws SQLException {
        if (!exists(c, "purge_checkpoint")) {
            return Optional.empty();
        }
        Optional<Recorded> whole = Optional.empty();
        try (PreparedStatement ps = c.prepareStatement("SELECT rows_deleted, chunks, done, CAST(updated_at AS CHAR)"
                + " FROM `_mitosis`.`purge_checkpoint` WHERE new_shard = ? AND schema_name = ? AND table_name = ?")) {
            ps.setInt(1, newShard);
            ps.setString(2, schema);
            ps.setString(3, table);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    whole = Optional.of(new Recorded(rs.getLong(1), rs.getLong(2), rs.getBoolean(3), rs.getString(4)));
                }
            }
        }
        if (whole.map(Recorded::done).orElse(false) || !exists(c, "purge_range_checkpoint")) {
            return whole;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*), COALESCE(SUM(rows_deleted), 0),"
                + " COALESCE(SUM(chunks), 0), CAST(MAX(updated_at) AS CHAR) FROM `_mitosis`.`purge_range_checkpoint`"
                + " WHERE new_shard = ? AND schema_name = ? AND table_name = ?")) {
            ps.setInt(1, newShard);
            ps.setString(2, schema);
            ps.setString(3, table);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (rs.getLong(1) == 0) {
                    return whole;
                }
                Recorded base = whole.orElse(new Recorded(0, 0, false, null));
                String updated = base.updatedAt() == null || rs.getString(4).compareTo(base.updatedAt()) > 0
                        ? rs.getString(4) : base.updatedAt();
                return Optional.of(new Recorded(base.rowsDeleted() + rs.getLong(2), base.chunks() + rs.getLong(3),
                        everyRangeDone(c, newShard, schema, table), updated));
            }
        }
    }

    /**
     * Whether every range of a cut of the table is done: the table's own row is written right after, unless the
     * process that finished the last range died in between.
     */
    private static boolean everyRangeDone(Connection c, int newShard, String schema, String table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT range_parts FROM `_mitosis`.`purge_range_checkpoint`"
                + " WHERE new_shard = ? AND schema_name = ? AND table_name = ? AND done"
                + " GROUP BY range_parts HAVING COUNT(*) = range_parts")) {
            ps.setInt(1, newShard);
            ps.setString(2, schema);
            ps.setString(3, table);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static boolean exists(Connection c, String mitosisTable) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM information_schema.tables"
                + " WHERE table_schema = '_mitosis' AND table_name = ?")) {
            ps.setString(1, mitosisTable);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1) > 0;
            }
        }
    }
}
