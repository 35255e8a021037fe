package dev.mitosis.purger.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * Deletes one chunk of one table in its own short transaction: the next rows of the purged residue after the
 * checkpoint, deleted by one statement that returns their keys (residue predicate inside), and the new checkpoint
 * at the last of them, committed together. A kill at any instant leaves either the whole chunk with its checkpoint,
 * or neither.
 */
public final class ChunkDeleter {

    /** What one chunk did. */
    public record Chunk(Checkpoint after, int deleted) {
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
            List<Object> last = null;
            int deleted = 0;
            try (PreparedStatement ps = c.prepareStatement(sql.deleteNext(at.lastKey() != null))) {
                sql.bindDeleteNext(ps, at.lastKey(), limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        deleted++;
                        last = key.read(rs);
                    }
                }
            }
            Checkpoint after = deleted == 0
                    ? new Checkpoint(at.lastKey(), at.rowsDeleted(), at.chunks(), true)
                    : new Checkpoint(last, at.rowsDeleted() + deleted, at.chunks() + 1, false);
            checkpoints.save(c, after);
            c.commit();
            return new Chunk(after, deleted);
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly(c);
            throw e;
        }
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // The session is gone; the server rolls the transaction back itself.
        }
    }
}
