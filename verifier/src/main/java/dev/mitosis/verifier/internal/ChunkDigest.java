package dev.mitosis.verifier.internal;

/**
 * What one server says about one chunk: its row count and the two 64-bit halves of the XOR of its row hashes.
 *
 * @param rows   COUNT(*)
 * @param high   BIT_XOR of the first 64 bits of every row's SHA1
 * @param low    BIT_XOR of the next 64 bits
 * @param millis how long the query took
 */
public record ChunkDigest(long rows, long high, long low, long millis) {

    /** Whether both servers hold the same rows here (the time taken does not count). */
    public boolean sameRows(ChunkDigest other) {
        return rows == other.rows && high == other.high && low == other.low;
    }

    /**
     * What differs between two digests, independent of rows both sides hold alike: a row changed the same way on
     * both sides cancels under XOR, so an unchanged delta across re-reads means a stable difference.
     */
    public String deltaFrom(ChunkDigest other) {
        return (rows - other.rows) + ":" + Long.toHexString(high ^ other.high) + ":" + Long.toHexString(low ^ other.low);
    }
}
