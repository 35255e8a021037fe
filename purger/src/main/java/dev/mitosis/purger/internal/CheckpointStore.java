package dev.mitosis.purger.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Reads and writes {@code _mitosis.purge_checkpoint}, one row per (new shard, table). Writes go through the
 * caller's session so they commit with the chunk's DELETE, or not at all.
 */
public final class CheckpointStore {

    private final int newShard;
    private final String schema;
    private final String table;
    private final PrimaryKey key;

    public CheckpointStore(int newShard, String schema, String table, PrimaryKey key) {
        this.newShard = newShard;
        this.schema = schema;
        this.table = table;
        this.key = key;
    }

    /** The stored checkpoint, or {@link Checkpoint#START}. */
    public Checkpoint load(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT last_key, rows_deleted, chunks, done"
                + " FROM `_mitosis`.`purge_checkpoint` WHERE new_shard = ? AND schema_name = ? AND table_name = ?")) {
            ps.setInt(1, newShard);
            ps.setString(2, schema);
            ps.setString(3, table);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Checkpoint.START;
                }
                String last = rs.getString(1);
                return new Checkpoint(last == null ? null : key.decode(last), rs.getLong(2), rs.getLong(3),
                        rs.getBoolean(4));
            }
        }
    }

    /** Writes {@code checkpoint} in the caller's transaction. */
    public void save(Connection c, Checkpoint checkpoint) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO `_mitosis`.`purge_checkpoint`"
                + " (new_shard, schema_name, table_name, last_key, rows_deleted, chunks, done)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE last_key = VALUES(last_key),"
                + " rows_deleted = VALUES(rows_deleted), chunks = VALUES(chunks), done = VALUES(done)")) {
            ps.setInt(1, newShard);
            ps.setString(2, schema);
            ps.setString(3, table);
            ps.setString(4, checkpoint.lastKey() == null ? null : key.encode(checkpoint.lastKey()));
            ps.setLong(5, checkpoint.rowsDeleted());
            ps.setLong(6, checkpoint.chunks());
            ps.setBoolean(7, checkpoint.done());
            ps.executeUpdate();
        }
    }
}
