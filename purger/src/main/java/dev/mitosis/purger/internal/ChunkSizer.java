package dev.mitosis.purger.internal;

/**
 * Adapts the rows of the next chunk so a chunk transaction takes about the target time: proportionally to the
 * last chunk's speed, at most doubling or halving per step so one odd chunk cannot swing it.
 */
public final class ChunkSizer {

    private final long targetMs;
    private final int maxRows;
    private int rows;

    public ChunkSizer(long targetMs, int initialRows, int maxRows) {
        this.targetMs = targetMs;
        this.maxRows = maxRows;
        this.rows = Math.max(1, Math.min(initialRows, maxRows));
    }

    /** The rows of the next chunk, never above {@code cap} (e.g. one second of the rows/s cap). */
    public int rows(long cap) {
        return (int) Math.max(1, Math.min(rows, cap <= 0 ? Long.MAX_VALUE : cap));
    }

    /** Learns from a chunk of {@code keys} keys that took {@code elapsedMs}. */
    public void observe(int keys, long elapsedMs) {
        if (keys < rows(0)) {
            return; // a short last chunk says nothing about speed
        }
        double factor = elapsedMs <= 0 ? 2.0 : (double) targetMs / elapsedMs;
        factor = Math.max(0.5, Math.min(2.0, factor));
        rows = (int) Math.max(1, Math.min(maxRows, Math.round(rows * factor)));
    }

    /** The current size, before any cap. */
    public int current() {
        return rows;
    }
}
