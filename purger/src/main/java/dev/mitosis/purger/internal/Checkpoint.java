package dev.mitosis.purger.internal;

import java.util.List;

/**
 * Where a table's purge stands: every purgeable row at or before {@code lastKey} is gone.
 *
 * @param lastKey     the upper bound of the last committed chunk; null before the first
 * @param rowsDeleted rows deleted so far, over all runs
 * @param chunks      chunks committed so far
 * @param done        whether a scan past the last key found nothing more
 */
public record Checkpoint(List<Object> lastKey, long rowsDeleted, long chunks, boolean done) {

    /** No chunk yet. */
    public static final Checkpoint START = new Checkpoint(null, 0, 0, false);
}
