package dev.mitosis.purger.internal;

import dev.mitosis.connectors.sql.SqlFragment;
import dev.mitosis.connectors.sql.SqlIdentifiers;
import dev.mitosis.purger.ResidueCounts;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Exact counts of one table by what the split means for each row, in one scan, with the same predicates the
 * DELETE uses. Misplaced rows are what is neither kept, purged nor NULL.
 */
public final class ResidueCounter {

    private ResidueCounter() {
    }

    /** Counts {@code schema.table}. */
    public static ResidueCounts count(Connection c, String schema, String table, String shardKey,
                                      SqlFragment purge, SqlFragment keep) throws SQLException {
        String sql = "SELECT COUNT(*), COALESCE(SUM(" + purge.sql() + "), 0), COALESCE(SUM(" + keep.sql() + "), 0),"
                + " COALESCE(SUM(" + SqlIdentifiers.quote(shardKey) + " IS NULL), 0) FROM "
                + SqlIdentifiers.quote(schema, table);
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            keep.bind(ps, purge.bind(ps, 1));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long total = rs.getLong(1);
                long purged = rs.getLong(2);
                long kept = rs.getLong(3);
                long nulls = rs.getLong(4);
                return new ResidueCounts(purged, kept, total - purged - kept - nulls, nulls);
            }
        }
    }
}
