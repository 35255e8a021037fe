package dev.mitosis.purger.proof;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * What the purger recorded for one table of a new shard in {@code _mitosis.purge_checkpoint}: how many rows its
 * chunks deleted, over every run, and whether it finished. Read-only; the purger writes these rows.
 */
public final class PurgeCheckpoints {

    /** One table's record. */
    public record Recorded(long rowsDeleted, long chunks, boolean done, String updatedAt) {
    }

    private PurgeCheckpoints() {
    }

    /** The record of {@code schema.table} on new shard {@code newShard}, if the purger ever wrote one. */
    public static Optional<Recorded> of(Connection c, int newShard, String schema, String table) throws SQLException {
        try (PreparedStatement exists = c.prepareStatement("SELECT COUNT(*) FROM information_schema.tables"
                + " WHERE table_schema = '_mitosis' AND table_name = 'purge_checkpoint'");
             ResultSet rs = exists.executeQuery()) {
            rs.next();
            if (rs.getInt(1) == 0) {
                return Optional.empty();
            }
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT rows_deleted, chunks, done, CAST(updated_at AS CHAR)"
                + " FROM `_mitosis`.`purge_checkpoint` WHERE new_shard = ? AND schema_name = ? AND table_name = ?")) {
            ps.setInt(1, newShard);
            ps.setString(2, schema);
            ps.setString(3, table);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next()
                        ? Optional.of(new Recorded(rs.getLong(1), rs.getLong(2), rs.getBoolean(3), rs.getString(4)))
                        : Optional.empty();
            }
        }
    }
}
