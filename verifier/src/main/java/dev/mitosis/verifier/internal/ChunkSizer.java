package dev.mitosis.verifier.internal;

/**
 * Adapts the rows per chunk so one checksum takes about {@code chunk.target.ms} on the slower server: scaled by
 * target/actual, at most doubling or halving per chunk so one odd timing does not swing it.
 */
public final class ChunkSizer {

    private final long targetMs;
    private final int maxRows;

    public ChunkSizer(long targetMs, int maxRows) {
        this.targetMs = targetMs;
        this.maxRows = maxRows;
    }

    /** The next chunk's rows after a chunk of {@code rows} rows took {@code millis}. */
    public int next(int rows, long millis) {
        return next(rows, millis, rows);
    }

    /**
     * The rows of the chunk to plan after one of {@code rows} rows took {@code millis}, when the last chunk planned
     * (a chunk read ahead, or that one) was meant to hold {@code planned}: the rate just measured, at most doubling
     * or halving from the last planned, so chunks read ahead grow as fast as chunks read one at a time.
     */
    public int next(int rows, long millis, int planned) {
        double wanted = (double) rows * targetMs / Math.max(1, millis);
        wanted = Math.max(0.5 * planned, Math.min(2.0 * planned, wanted));
        long next = Math.round(wanted);
        return (int) Math.max(1, Math.min(maxRows, next));
    }
}
