package dev.mitosis.purger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * Whether a purge ever started on a server: its checkpoints in {@code _mitosis.purge_checkpoint} (written in the
 * transaction of each chunk's delete) say so. Read by the flip, which refuses to roll back once one started.
 */
public final class PurgeHistory {

    /** The first checkpoint a server holds. */
    public record Started(int newShard, String table, long rowsDeleted, String since) {
    }

    private PurgeHistory() {
    }

    /** The earliest purge checkpoint on the server of {@code session}, if any. */
    public static Optional<Started> of(Connection session) throws SQLException {
        try (PreparedStatement exists = session.prepareStatement("SELECT COUNT(*) FROM information_schema.tables"
                + " WHERE table_schema = '_mitosis' AND table_name = 'purge_checkpoint'");
             ResultSet rs = exists.executeQuery()) {
            rs.next();
            if (rs.getInt(1) == 0) {
                return Optional.empty();
            }
        }
        try (PreparedStatement first = session.prepareStatement("SELECT new_shard, CONCAT(schema_name, '.', table_name),"
                + " rows_deleted, CAST(updated_at AS CHAR) FROM `_mitosis`.`purge_checkpoint` ORDER BY updated_at LIMIT 1");
             ResultSet rs = first.executeQuery()) {
            return rs.next()
                    ? Optional.of(new Started(rs.getInt(1), rs.getString(2), rs.getLong(3), rs.getString(4)))
                    : Optional.empty();
        }
    }
}
