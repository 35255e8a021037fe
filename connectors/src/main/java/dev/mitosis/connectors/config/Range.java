package dev.mitosis.connectors.config;

import java.util.Optional;

/** Bounds for an INT or LONG key, both ends inclusive. */
public final class Range implements Validator {

    private final long min;
    private final long max;

    private Range(long min, long max) {
        if (min > max) {
            throw new IllegalArgumentException("empty range [" + min + ", " + max + "]");
        }
        this.min = min;
        this.max = max;
    }

    /** Integers from {@code min} to {@code max}, both included. */
    public static Range between(long min, long max) {
        return new Range(min, max);
    }

    /** Integers from {@code min} up. */
    public static Range atLeast(long min) {
        return new Range(min, Long.MAX_VALUE);
    }

    @Override
    public Optional<String> check(Object value) {
        long number = ((Number) value).longValue();
        return number < min || number > max ? Optional.of("is out of range") : Optional.empty();
    }

    @Override
    public String describe() {
        return max == Long.MAX_VALUE ? "an integer >= " + min : "an integer in [" + min + ", " + max + "]";
    }
}
