package dev.mitosis.purger.internal;

import dev.mitosis.connectors.time.Sleeper;

import dev.mitosis.purger.PurgeListener;
import dev.mitosis.purger.PurgeProgress;
import dev.mitosis.purger.ServerSessions;
import dev.mitosis.purger.TablePlan;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientException;
import java.time.Clock;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * The purge loop of one table: {@code while (running) { throttle.awaitPermit(); chunk = next(); delete and
 * checkpoint it (one transaction) }}, resuming from the stored checkpoint. Lock waits, deadlocks and lost
 * sessions are retried with capped backoff; anything else stops the purge.
 */
public final class TablePurge {

    /** Attempts of one chunk before a retriable failure stops the purge. */
    static final int MAX_ATTEMPTS = 6;

    /** What the loop reached. */
    public record Result(Checkpoint checkpoint, long rowsDeleted, String resumedFrom, boolean finished) {
    }

    /** Re-checks the interlocks during the run (at most every few seconds). */
    @FunctionalInterface
    public interface Guard {
        /** Throws when an interlock no longer holds. */
        void check() throws PurgeAbortedException;
    }

    /** Shared counters of the whole run, for progress lines. */
    public interface RunTotals {
        /** Adds a chunk's rows; returns the run's total. */
        long add(long rows);

        /** This run's average rows/s. */
        double rowsPerSecond();

        /** The plan's estimate. */
        long estimatedRows();
    }

    private final TablePlan plan;
    private final PrimaryKey key;
    private final ChunkDeleter deleter;
    private final CheckpointStore checkpoints;
    private final ChunkSizer sizer;
    private final Throttle throttle;
    private final RatePacer pacer;
    private final ServerSessions sessions;
    private final Clock clock;
    private final Sleeper sleeper;
    private final PurgeListener listener;
    private final Guard interlockCheck;

    public TablePurge(TablePlan plan, PrimaryKey key, ChunkDeleter deleter, CheckpointStore checkpoints,
                      ChunkSizer sizer, Throttle throttle, RatePacer pacer, ServerSessions sessions, Clock clock,
                      Sleeper sleeper, PurgeListener listener, Guard interlockCheck) {
        this.plan = plan;
        this.key = key;
        this.deleter = deleter;
        this.checkpoints = checkpoints;
        this.sizer = sizer;
        this.throttle = throttle;
        this.pacer = pacer;
        this.sessions = sessions;
        this.clock = clock;
        this.sleeper = sleeper;
        this.listener = listener;
        this.interlockCheck = interlockCheck;
    }

    /**
     * Runs chunks until the table is done or {@code running} turns false.
     *
     * @throws PurgeAbortedException when the throttle or an interlock says stop
     */
    public Result run(BooleanSupplier running, RunTotals totals)
            throws SQLException, InterruptedException, PurgeAbortedException {
        Connection c = openPrepared();
        try {
            Checkpoint at = checkpoints.load(c);
            c.commit();
            // A range's first checkpoint is its lower bound: a resume is a checkpoint some chunk or the end wrote.
            String resumedFrom = at.lastKey() == null || at.chunks() == 0 && !at.done() ? null
                    : key.encode(at.lastKey());
            listener.tableStarted(plan, resumedFrom);
            long deleted = 0;
            while (!at.done()) {
                if (!throttle.awaitPermit(running)) {
                    return new Result(at, deleted, resumedFrom, false);
                }
                interlockCheck.check();
                long startMs = clock.millis();
                int limit = sizer.rows(pacer.rowsPerSecond());
                ChunkDeleter.Chunk chunk = null;
                for (int attempt = 1; chunk == null; attempt++) {
                    try {
                        chunk = deleter.next(c, at, limit);
                    } catch (SQLException e) {
                        if (!retriable(e) || attempt >= MAX_ATTEMPTS) {
                            throw e;
                        }
                        listener.retrying("chunk of " + plan.qualifiedName(), attempt, e.getMessage());
                        sleeper.sleep(Duration.ofMillis(Math.min(2_000, 100L << attempt)));
                        if (e instanceof SQLNonTransientConnectionException) {
                            closeQuietly(c);
                            c = openPrepared();
                        }
                        // The chunk rolled back: start it again from the stored checkpoint.
                        at = checkpoints.load(c);
                        c.commit();
                    }
                }
                long elapsed = clock.millis() - startMs;
                sizer.observe(chunk.deleted(), elapsed);
                pacer.record(startMs, chunk.deleted());
                at = chunk.after();
                deleted += chunk.deleted();
                long total = totals.add(chunk.deleted());
                if (chunk.deleted() > 0) {
                    listener.chunk(new PurgeProgress(plan.qualifiedName(), at.rowsDeleted(), total,
                            totals.estimatedRows(), totals.rowsPerSecond(), chunk.deleted(), elapsed,
                            throttle.decision()));
                }
            }
            return new Result(at, deleted, resumedFrom, true);
        } finally {
            closeQuietly(c);
        }
    }

    private Connection openPrepared() throws SQLException {
        Connection c = sessions.open();
        ChunkDeleter.prepare(c);
        return c;
    }

    /** Lock wait timeout, deadlock, a lost session: the chunk rolled back and may run again. */
    static boolean retriable(SQLException e) {
        return e.getErrorCode() == 1205 || e.getErrorCode() == 1213 || e instanceof SQLTransientException
                || e instanceof SQLNonTransientConnectionException;
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // already broken
        }
    }
}
