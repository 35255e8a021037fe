package dev.mitosis.purger;

/**
 * Exact row counts of one table on the purged server, by what the split means for each row.
 *
 * @param purge     rows of the sibling's residue: what the purge deletes
 * @param keep      rows the new shard owns
 * @param misplaced rows of a residue neither server of the pair owns: reported, never deleted
 * @param nullKey   rows with a NULL shard key: reported, never deleted
 */
public record ResidueCounts(long purge, long keep, long misplaced, long nullKey) {

    /** Every row of the table. */
    public long total() {
        return purge + keep + misplaced + nullKey;
    }
}
