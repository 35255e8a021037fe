package dev.mitosis.purger.internal;

import java.time.Clock;

/**
 * Keeps deletes under the rows/s cap: after a chunk of {@code d} rows started at {@code t}, the next may start at
 * {@code t + d / rate}. The cap is a tunable: changed while running, it applies from the next chunk.
 */
public final class RatePacer {

    private final Clock clock;
    private volatile long rowsPerSecond;
    private long nextStartMs;

    public RatePacer(Clock clock, long rowsPerSecond) {
        this.clock = clock;
        this.rowsPerSecond = rowsPerSecond;
    }

    /** The cap; 0 means none. */
    public long rowsPerSecond() {
        return rowsPerSecond;
    }

    /** Sets the cap; returns the old one. */
    public long setRowsPerSecond(long rate) {
        long old = rowsPerSecond;
        rowsPerSecond = rate;
        return old;
    }

    /** How long to wait before the next chunk may start, in ms; 0 when it may start now. */
    public long waitMs() {
        return Math.max(0, nextStartMs - clock.millis());
    }

    /** Records a chunk that started at {@code startMs} and deleted {@code rows}. */
    public void record(long startMs, long rows) {
        long rate = rowsPerSecond;
        nextStartMs = rate <= 0 ? 0 : startMs + (rows * 1000 + rate - 1) / rate;
    }
}
