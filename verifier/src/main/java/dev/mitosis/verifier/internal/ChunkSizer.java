package dev.mitosis.verifier.internal;

/**
 * Adapts the rows per chunk so one checksum takes about {@code chunk.target.ms} on the slower server: scaled by
 * target/actual, at most doubling or halving per step so one odd timing does not swing it.
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
        double factor = (double) targetMs / Math.max(1, millis);
        factor = Math.max(0.5, Math.min(2.0, factor));
        long next = Math.round(rows * factor);
        return (int) Math.max(1, Math.min(maxRows, next));
    }
}
