package dev.mitosis.connectors.work;

import java.util.List;
import java.util.Optional;

/**
 * One range of a {@link KeySplit}: the primary keys {@code k} with {@code lower < k <= upper}, compared as the server
 * compares the key (lexicographically over its columns). An absent bound is open.
 *
 * @param lowerExclusive the key values just below the range, as text ({@code b64:...} for bytes), or empty
 * @param upperInclusive the last key values of the range, or empty for no upper bound
 */
public record KeySpan(Optional<List<String>> lowerExclusive, Optional<List<String>> upperInclusive) {

    /** Every key: what a table that is not divided is. */
    public static final KeySpan ALL = new KeySpan(Optional.empty(), Optional.empty());

    public KeySpan {
        lowerExclusive = lowerExclusive.map(List::copyOf);
        upperInclusive = upperInclusive.map(List::copyOf);
    }

    /** Whether this span is the whole key space. */
    public boolean isAll() {
        return lowerExclusive.isEmpty() && upperInclusive.isEmpty();
    }

    @Override
    public String toString() {
        return "(" + lowerExclusive.map(Object::toString).orElse("-inf") + ", "
                + upperInclusive.map(Object::toString).orElse("+inf") + "]";
    }
}
