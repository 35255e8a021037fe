package dev.mitosis.capture.internal;

import java.time.Duration;

/** Doubling delays between restarts, from {@code min} up to {@code max}; {@link #reset()} after a success. */
public final class Backoff {

    private final Duration min;
    private final Duration max;
    private int failures;

    public Backoff(Duration min, Duration max) {
        this.min = min;
        this.max = max;
    }

    /** The delay before the next attempt, counting this failure. */
    public Duration next() {
        failures++;
        long millis = min.toMillis();
        for (int i = 1; i < failures && millis < max.toMillis(); i++) {
            millis *= 2;
        }
        return Duration.ofMillis(Math.min(millis, max.toMillis()));
    }

    public int failures() {
        return failures;
    }

    public void reset() {
        failures = 0;
    }
}
