package dev.mitosis.connectors.shard;

/** What the split means for one row on one server, by the residue of its shard key. */
public enum Ownership {
    /** The server owns the row after the split: its residue mod 2n is the server's new shard. */
    KEEP,
    /** The row belongs to the sibling server after the split: the purger deletes it here. */
    PURGE,
    /**
     * The row's residue mod 2n belongs to neither server of the pair: it was never in the right old shard.
     * Reported, never purged.
     */
    MISPLACED,
    /** The shard key is NULL: no shard owns the row, and it is never purged. */
    NULL_KEY
}
