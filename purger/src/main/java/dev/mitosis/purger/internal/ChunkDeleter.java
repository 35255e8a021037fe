package dev.mitosis.purger.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Deletes one chunk of one table in its own short transaction: the next keys of the purged residue after the
 * checkpoint, the DELETE of that key range (residue predicate inside), and the new checkpoint, committed together.
 * A kill at any instant leaves either the whole chunk with its checkpoint, or neither.
 */
public final class ChunkDeleter {

    /** What one chunk did. */
    public record Chunk(Checkpoint after, long deleted, int keysSeen) {
    }

    private final SeekSql sql;
    private final PrimaryKey key;
    private final CheckpointStore checkpoints;

    public ChunkDeleter(SeekSql sql, PrimaryKey key, CheckpointStore checkpoints) {
        this.sql = sql;
        this.key = key;
        this.checkpoints = checkpoints;
    }

    /** Prepares a session for chunks: manual commit, row locks only on what matches, bounded lock waits. */
    public static void prepare(Connection c) throws SQLException {
        try (var s = c.createStatement()) {
            // READ COMMITTED: the DELETE locks the rows it removes, not the gaps between the owned rows it scans.
            s.execute("SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED");
            s.execute("SET SESSION innodb_lock_wait_timeout = 5, lock_wait_timeout = 5");
        }
        c.setAutoCommit(false);
    }

    /**
     * Runs one chunk after {@code at}, of at most {@code limit} purgeable rows, and commits it.
     *
     * @return the chunk; {@code after().done()} when no purgeable row is left after {@code at}
     */
    public Chunk next(Connection c, Checkpoint at, int limit) throws SQLException {
        try {
            List<List<Object>> keys = nextKeys(c, at.lastKey(), limit);
            if (keys.isEmpty()) {
                Checkpoint done = new Checkpoint(at.lastKey(), at.rowsDeleted(), at.chunks(), true);
                checkpoints.save(c, done);
                c.commit();
                return new Chunk(done, 0, 0);
            }
            List<Object> upTo = keys.get(keys.size() - 1);
            long deleted;
            try (PreparedStatement ps = c.prepareStatement(sql.delete(at.lastKey() != null))) {
                sql.bindDelete(ps, at.lastKey(), upTo);
                deleted = ps.executeUpdate();
            }
            Checkpoint after = new Checkpoint(upTo, at.rowsDeleted() + deleted, at.chunks() + 1, false);
            checkpoints.save(c, after);
            c.commit();
            return new Chunk(after, deleted, keys.size());
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly(c);
            throw e;
        }
    }

    private List<List<Object>> nextKeys(Connection c, List<Object> after, int limit) throws SQLException {
        List<List<Object>> keys = new ArrayList<>(Math.min(limit, 10_000));
        try (PreparedStatement ps = c.prepareStatement(sql.selectNextKeys(after != null))) {
            sql.bindSelect(ps, after, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    keys.add(key.read(rs));
                }
            }
        }
        return keys;
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // The session is gone; the server rolls the transaction back itself.
        }
    }
}
