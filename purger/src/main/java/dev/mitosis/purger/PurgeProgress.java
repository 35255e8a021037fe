package dev.mitosis.purger;

/**
 * Where a running purge stands after a chunk, for progress lines.
 *
 * @param table            {@code schema.table} of the chunk
 * @param tableRowsDeleted rows deleted from that table, over all runs
 * @param rowsDeleted      rows deleted by this run, all tables
 * @param estimatedRows    the plan's estimate of all rows to delete
 * @param rowsPerSecond    this run's average rate
 * @param chunkRows        the chunk's rows
 * @param chunkMs          the chunk's time
 * @param throttle         the throttle's decision at the chunk
 */
public record PurgeProgress(String table, long tableRowsDeleted, long rowsDeleted, long estimatedRows,
                            double rowsPerSecond, long chunkRows, long chunkMs, ThrottleDecision throttle) {
}
