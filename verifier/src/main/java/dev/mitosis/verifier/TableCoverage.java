package dev.mitosis.verifier;

/**
 * How much of a table was actually compared: what a PASS rests on. A table is fully covered only when every chunk
 * compared the same or was narrowed to rows, on both servers, and nothing was skipped.
 *
 * @param rowsA            rows of A in compared chunks
 * @param rowsA0           rows of A0 in compared chunks
 * @param chunksCompared   chunks read on both servers
 * @param chunksSame       chunks with the same rows on both
 * @param chunksDifferent  chunks that differ stably (narrowed to rows)
 * @param chunksHot        chunks still changing after every re-check
 * @param chunksUnverified chunks a server could not catch up on
 * @param rowsNotCoveredA  rows of A in hot or unverified chunks (as last read)
 * @param rowsNotCoveredA0 rows of A0 in hot or unverified chunks
 * @param skipped          why the table was not compared at all, or null
 */
public record TableCoverage(long rowsA, long rowsA0, long chunksCompared, long chunksSame, long chunksDifferent,
                            long chunksHot, long chunksUnverified, long rowsNotCoveredA, long rowsNotCoveredA0,
                            String skipped) {

    /** A table not compared at all, and why. */
    public static TableCoverage skipped(String reason) {
        return new TableCoverage(0, 0, 0, 0, 0, 0, 0, 0, 0, reason);
    }

    /** Whether every row of the table was compared. */
    public boolean full() {
        return skipped == null && chunksHot == 0 && chunksUnverified == 0 && chunksCompared > 0;
    }
}
