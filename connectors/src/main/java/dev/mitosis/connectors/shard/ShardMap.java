package dev.mitosis.connectors.shard;

import java.math.BigInteger;
import java.util.OptionalInt;

/**
 * The routing before and after the 2N split: {@code n} old shards (one per dual-master pair) become {@code 2n}.
 *
 * <p>A row with shard key {@code uid} lives in old shard {@code uid mod n} and new shard {@code uid mod 2n}.
 * Old shard {@code i} is pair {@code i}; after the split its server A is new shard {@code i} and its server A0 is
 * new shard {@code i + n}, and each purges the residue its sibling keeps. Since {@code (uid mod 2n) mod n} is
 * {@code uid mod n}, every row of pair {@code i} is kept by exactly one of its two servers; a row with any other
 * residue is {@linkplain Ownership#MISPLACED misplaced}.
 *
 * <p>{@code mod} is the floor modulo, always in {@code 0..m-1} (for negative keys too); BIGINT UNSIGNED keys use
 * unsigned arithmetic; a NULL key is owned by no shard. {@link ResiduePredicates} gives the same answers in SQL.
 */
public final class ShardMap {

    /** The largest old shard count whose doubled count still fits an {@code int}. */
    public static final int MAX_OLD_SHARDS = Integer.MAX_VALUE / 2;

    private final int oldShards;

    /**
     * @param oldShards {@code n}, the number of dual-master pairs before the split, in {@code 1..MAX_OLD_SHARDS}
     */
    public ShardMap(int oldShards) {
        if (oldShards < 1 || oldShards > MAX_OLD_SHARDS) {
            throw new IllegalArgumentException(
                    "old shard count " + oldShards + " is out of range, expected an integer in [1, " + MAX_OLD_SHARDS + "]");
        }
        this.oldShards = oldShards;
    }

    /** {@code n}: the number of shards (pairs) before the split. */
    public int oldShards() {
        return oldShards;
    }

    /** {@code 2n}: the number of shards after the split. */
    public int newShards() {
        return 2 * oldShards;
    }

    /** The old shard (pair) of a signed key: {@code floorMod(uid, n)}. */
    public int oldShardOf(long uid) {
        return Residues.ofSigned(uid, oldShards);
    }

    /** The new shard of a signed key: {@code floorMod(uid, 2n)}. */
    public int newShardOf(long uid) {
        return Residues.ofSigned(uid, newShards());
    }

    /** The old shard of a key whose 64 bits are an unsigned value (BIGINT UNSIGNED). */
    public int oldShardOfUnsigned(long uid) {
        return Residues.ofUnsigned(uid, oldShards);
    }

    /** The new shard of a key whose 64 bits are an unsigned value (BIGINT UNSIGNED). */
    public int newShardOfUnsigned(long uid) {
        return Residues.ofUnsigned(uid, newShards());
    }

    /** The old shard of a key of any size or sign. */
    public int oldShardOf(BigInteger uid) {
        return Residues.of(uid, oldShards);
    }

    /** The new shard of a key of any size or sign. */
    public int newShardOf(BigInteger uid) {
        return Residues.of(uid, newShards());
    }

    /**
     * The old shard of a value read from JDBC.
     *
     * @param uid a {@code Long}, {@code Integer}, {@code Short}, {@code Byte}, {@code BigInteger}, an integral
     *            {@code BigDecimal}, or null
     * @return the old shard, or empty for NULL (owned by no shard)
     * @throws IllegalArgumentException for a fractional number or another type
     */
    public OptionalInt oldShardOfValue(Object uid) {
        return Residues.ofValue(uid, oldShards);
    }

    /**
     * The new shard of a value read from JDBC; see {@link #oldShardOfValue} for the accepted types.
     *
     * @return the new shard, or empty for NULL (owned by no shard)
     */
    public OptionalInt newShardOfValue(Object uid) {
        return Residues.ofValue(uid, newShards());
    }

    /** The new shard that a server of old shard {@code oldShard} becomes: {@code i} for A, {@code i + n} for A0. */
    public int newShardOf(int oldShard, ServerRole role) {
        return keptResidue(oldShard, role);
    }

    /** The residue mod 2n that a server keeps after the split: {@code i} on A, {@code i + n} on A0. */
    public int keptResidue(int oldShard, ServerRole role) {
        checkOldShard(oldShard);
        return role == ServerRole.A ? oldShard : oldShard + oldShards;
    }

    /** The residue mod 2n that a server purges after the split: the one its sibling keeps. */
    public int purgedResidue(int oldShard, ServerRole role) {
        return keptResidue(oldShard, role.sibling());
    }

    /** The old shard (pair) a new shard comes from: {@code s mod n}. */
    public int oldShardOfNewShard(int newShard) {
        checkNewShard(newShard);
        return newShard % oldShards;
    }

    /** The server of its pair that a new shard is served by: A below {@code n}, A0 from {@code n}. */
    public ServerRole roleOfNewShard(int newShard) {
        checkNewShard(newShard);
        return newShard < oldShards ? ServerRole.A : ServerRole.A0;
    }

    /** What the split means for a row with a signed key on the given server. */
    public Ownership classify(long uid, int oldShard, ServerRole role) {
        return classifyResidue(newShardOf(uid), oldShard, role);
    }

    /** What the split means for a row with an unsigned (BIGINT UNSIGNED) key on the given server. */
    public Ownership classifyUnsigned(long uid, int oldShard, ServerRole role) {
        return classifyResidue(newShardOfUnsigned(uid), oldShard, role);
    }

    /** What the split means for a row with a key of any size or sign on the given server. */
    public Ownership classify(BigInteger uid, int oldShard, ServerRole role) {
        return classifyResidue(newShardOf(uid), oldShard, role);
    }

    /**
     * What the split means for a row on the given server, from its key as read from JDBC; NULL is
     * {@link Ownership#NULL_KEY}. See {@link #oldShardOfValue} for the accepted types.
     */
    public Ownership classifyValue(Object uid, int oldShard, ServerRole role) {
        checkOldShard(oldShard);
        OptionalInt residue = newShardOfValue(uid);
        return residue.isPresent() ? classifyResidue(residue.getAsInt(), oldShard, role) : Ownership.NULL_KEY;
    }

    private Ownership classifyResidue(int residue, int oldShard, ServerRole role) {
        if (residue == keptResidue(oldShard, role)) {
            return Ownership.KEEP;
        }
        if (residue == purgedResidue(oldShard, role)) {
            return Ownership.PURGE;
        }
        return Ownership.MISPLACED;
    }

    private void checkOldShard(int oldShard) {
        if (oldShard < 0 || oldShard >= oldShards) {
            throw new IllegalArgumentException(
                    "old shard " + oldShard + " is out of range, expected an integer in [0, " + (oldShards - 1) + "]");
        }
    }

    private void checkNewShard(int newShard) {
        if (newShard < 0 || newShard >= newShards()) {
            throw new IllegalArgumentException(
                    "new shard " + newShard + " is out of range, expected an integer in [0, " + (newShards() - 1) + "]");
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ShardMap map && map.oldShards == oldShards;
    }

    @Override
    public int hashCode() {
        return Integer.hashCode(oldShards);
    }

    @Override
    public String toString() {
        return "ShardMap[" + oldShards + " -> " + newShards() + "]";
    }
}
