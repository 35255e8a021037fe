package dev.mitosis.purger.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * Reads and writes a table's checkpoint: {@code _mitosis.purge_checkpoint}, one row per (new shard, table), or for
 * a purge of one key range, {@code _mitosis.purge_range_checkpoint}, one row per (new shard, table, parts, range).
 * Writes go through the caller's session so they commit with the chunk's DELETE, or not at all.
 */
public final class CheckpointStore {

    private static final String TABLE_WHERE = "new_shard = ? AND schema_name = ? AND table_name = ?";

    private final int newShard;
    private final String schema;
    private final String table;
    private final PrimaryKey key;
    private final int rangeIndex;
    private final int rangeParts;
    private final List<Object> rangeLower;

    /** The checkpoint of a whole table. */
    public CheckpointStore(int newShard, String schema, String table, PrimaryKey key) {
        this(newShard, schema, table, key, 0, 1, null);
    }

    private CheckpointStore(int newShard, String schema, String table, PrimaryKey key, int rangeIndex, int rangeParts,
                            List<Object> rangeLower) {
        this.newShard = newShard;
        this.schema = schema;
        this.table = table;
        this.key = key;
        this.rangeIndex = rangeIndex;
        this.rangeParts = rangeParts;
        this.rangeLower = rangeLower;
    }

    /**
     * The checkpoint of range {@code index} of {@code parts}; before its first chunk it stands at the range's lower
     * bound (exclusive), so the first chunk starts after it.
     *
     * @param lowerExclusive the key just below the range, or null for a range open below
     */
    public static CheckpointStore ofRange(int newShard, String schema, String table, PrimaryKey key, int index,
                                          int parts, List<Object> lowerExclusive) {
        if (parts < 2) {
            throw new IllegalArgumentException("a range checkpoint needs 2 or more parts, not " + parts);
        }
        return new CheckpointStore(newShard, schema, table, key, index, parts, lowerExclusive);
    }

    private boolean ranged() {
        return rangeParts > 1;
    }

    /** Where a purge with no checkpoint yet starts. */
    public Checkpoint start() {
        return ranged() && rangeLower != null ? new Checkpoint(rangeLower, 0, 0, false) : Checkpoint.START;
    }

    /** The stored checkpoint, or {@link #start()}. */
    public Checkpoint load(Connection c) throws SQLException {
        String sql = ranged()
                ? "SELECT last_key, rows_deleted, chunks, done FROM `_mitosis`.`purge_range_checkpoint` WHERE "
                        + TABLE_WHERE + " AND range_parts = ? AND range_index = ?"
                : "SELECT last_key, rows_deleted, chunks, done FROM `_mitosis`.`purge_checkpoint` WHERE " + TABLE_WHERE;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setInt(1, newShard);
            ps.setString(2, schema);
            ps.setString(3, table);
            if (ranged()) {
                ps.setInt(4, rangeParts);
                ps.setInt(5, rangeIndex);
            }
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return start();
                }
                String last = rs.getString(1);
                return new Checkpoint(last == null ? null : key.decode(last), rs.getLong(2), rs.getLong(3),
                        rs.getBoolean(4));
            }
        }
    }

    /** Writes {@code checkpoint} in the caller's transaction. */
    public void save(Connection c, Checkpoint checkpoint) throws SQLException {
        String sql = ranged()
                ? "INSERT INTO `_mitosis`.`purge_range_checkpoint` (new_shard, schema_name, table_name, last_key,"
                        + " rows_deleted, chunks, done, range_parts, range_index) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                : "INSERT INTO `_mitosis`.`purge_checkpoint` (new_shard, schema_name, table_name, last_key,"
                        + " rows_deleted, chunks, done) VALUES (?, ?, ?, ?, ?, ?, ?)";
        try (PreparedStatement ps = c.prepareStatement(sql + " ON DUPLICATE KEY UPDATE last_key = VALUES(last_key),"
                + " rows_deleted = VALUES(rows_deleted), chunks = VALUES(chunks), done = VALUES(done)")) {
            ps.setInt(1, newShard);
            ps.setString(2, schema);
            ps.setString(3, table);
            ps.setString(4, checkpoint.lastKey() == null ? null : key.encode(checkpoint.lastKey()));
            ps.setLong(5, checkpoint.rowsDeleted());
            ps.setLong(6, checkpoint.chunks());
            ps.setBoolean(7, checkpoint.done());
            if (ranged()) {
                ps.setInt(8, rangeParts);
                ps.setInt(9, rangeIndex);
            }
            ps.executeUpdate();
        }
    }

    /**
     * After a range finished: if every range of the table is done, marks the whole table done in
     * {@code _mitosis.purge_checkpoint} with the ranges' totals, where the proof, the undo and the fleet's evidence
     * read it. Run by each range's owner after its range's done row committed, so the last of them to commit sees
     * every range done; two doing it at once write the same row. A whole-table row a single-process run left
     * unfinished keeps its own counts, added to. Commits; whether the table is done.
     */
    public boolean rollUp(Connection c) throws SQLException {
        if (!ranged()) {
            throw new IllegalStateException("only a range's checkpoint rolls up into its table's");
        }
        long ranges;
        long done;
        long rows;
        long chunks;
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*), COALESCE(SUM(done), 0),"
                + " COALESCE(SUM(rows_deleted), 0), COALESCE(SUM(chunks), 0) FROM `_mitosis`.`purge_range_checkpoint`"
                + " WHERE " + TABLE_WHERE + " AND range_parts = ?")) {
            ps.setInt(1, newShard);
            ps.setString(2, schema);
            ps.setString(3, table);
            ps.setInt(4, rangeParts);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                ranges = rs.getLong(1);
                done = rs.getLong(2);
                rows = rs.getLong(3);
                chunks = rs.getLong(4);
            }
        }
        if (ranges < rangeParts || done < rangeParts) {
            c.commit();
            return false;
        }
        // Assignments run left to right: done is set last, after the others read the old value.
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO `_mitosis`.`purge_checkpoint` (new_shard,"
                + " schema_name, table_name, last_key, rows_deleted, chunks, done) VALUES (?, ?, ?, NULL, ?, ?, 1)"
                + " ON DUPLICATE KEY UPDATE rows_deleted = IF(done = 1, rows_deleted, rows_deleted + VALUES(rows_deleted)),"
                + " chunks = IF(done = 1, chunks, chunks + VALUES(chunks)), done = 1")) {
            ps.setInt(1, newShard);
            ps.setString(2, schema);
            ps.setString(3, table);
            ps.setLong(4, rows);
            ps.setLong(5, chunks);
            ps.executeUpdate();
        }
        c.commit();
        return true;
    }
}
