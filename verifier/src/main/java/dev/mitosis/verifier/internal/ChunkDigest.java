package dev.mitosis.verifier.internal;

/**
 * What one server says about one chunk: its row count and a 128-bit digest of its rows, in one of two forms.
 *
 * <p>The per-row form ({@code ordered} false) is the XOR of the row hashes, two 64-bit halves: rows both servers
 * changed alike cancel out of the difference of two digests, which is how a stable difference is told under live
 * writes. The ordered form is the MD5 of every row's text in scan order: cheaper to compute in the server, but a
 * difference of two such digests says nothing beyond "differs", so only the per-row form is re-checked. Digests of
 * different forms never count as the same rows.
 *
 * @param rows    COUNT(*)
 * @param high    the first 64 bits of the digest
 * @param low     the next 64 bits
 * @param millis  how long the query took
 * @param ordered whether this is the ordered (MD5 of the rows in order) form
 */
public record ChunkDigest(long rows, long high, long low, long millis, boolean ordered) {

    /** A per-row (XOR) digest. */
    public ChunkDigest(long rows, long high, long low, long millis) {
        this(rows, high, low, millis, false);
    }

    /** Whether both servers hold the same rows here (the time taken does not count). */
    public boolean sameRows(ChunkDigest other) {
        return ordered == other.ordered && rows == other.rows && high == other.high && low == other.low;
    }

    /**
     * What differs between two per-row digests, independent of rows both sides hold alike: a row changed the same
     * way on both sides cancels under XOR, so an unchanged delta across re-reads means a stable difference.
     *
     * @throws IllegalStateException for an ordered digest, whose difference carries no such meaning
     */
    public String deltaFrom(ChunkDigest other) {
        if (ordered || other.ordered) {
            throw new IllegalStateException("an ordered chunk digest has no delta; re-read the per-row digest");
        }
        return (rows - other.rows) + ":" + Long.toHexString(high ^ other.high) + ":" + Long.toHexString(low ^ other.low);
    }
}
