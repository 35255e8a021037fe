package dev.mitosis.connectors.shard;

import dev.mitosis.connectors.sql.SqlFragment;
import dev.mitosis.connectors.sql.SqlIdentifiers;

/**
 * SQL conditions on a shard-key column that select exactly the rows {@link ShardMap} assigns.
 *
 * <p>MariaDB's {@code MOD} keeps the sign of the dividend ({@code MOD(-1, 4) = -1}), while the shard map uses the
 * floor modulo ({@code 3}). Each condition therefore reads {@code MOD(MOD(col, m) + m, m) = r}: the inner
 * {@code MOD} is in {@code -(m-1)..m-1}, adding {@code m} makes it positive without overflow, the outer
 * {@code MOD} brings it back to {@code 0..m-1}. For a BIGINT UNSIGNED column the inner {@code MOD} is already
 * non-negative and the rest changes nothing. A NULL key makes the whole expression NULL, which never matches, so
 * no condition here selects a row without a key. The column is quoted by {@link SqlIdentifiers}; the modulus and
 * residue are bound as parameters.
 */
public final class ResiduePredicates {

    private final ShardMap shardMap;

    /** Conditions for the split described by {@code shardMap}. */
    public ResiduePredicates(ShardMap shardMap) {
        this.shardMap = shardMap;
    }

    /**
     * Rows whose key has floor-modulo residue {@code residue} mod {@code modulus}; NULL keys never match.
     *
     * @param column   the unquoted column name
     * @param modulus  at least 1
     * @param residue  in {@code 0..modulus-1}
     */
    public static SqlFragment residueEquals(String column, int modulus, int residue) {
        checkResidue(modulus, residue);
        return floorModCompared(column, "=", modulus, residue);
    }

    /** Rows that new shard {@code newShard} owns after the split: residue {@code newShard} mod 2n. */
    public SqlFragment ownedByNewShard(String column, int newShard) {
        return residueEquals(column, shardMap.newShards(), newShard);
    }

    /** Rows that old shard (pair) {@code oldShard} owns before the split: residue {@code oldShard} mod n. */
    public SqlFragment ownedByOldShard(String column, int oldShard) {
        return residueEquals(column, shardMap.oldShards(), oldShard);
    }

    /**
     * Rows the purger deletes on a server after the split: the residue mod 2n its sibling keeps.
     * The purger puts this condition inside every DELETE, so a wrong chunk can at worst delete nothing.
     */
    public SqlFragment purgeableOn(String column, int oldShard, ServerRole role) {
        return residueEquals(column, shardMap.newShards(), shardMap.purgedResidue(oldShard, role));
    }

    /** Rows on pair {@code oldShard} that do not belong to it at all (residue mod n other than {@code oldShard}). */
    public SqlFragment misplacedOn(String column, int oldShard) {
        checkResidue(shardMap.oldShards(), oldShard);
        return floorModCompared(column, "<>", shardMap.oldShards(), oldShard);
    }

    private static SqlFragment floorModCompared(String column, String operator, int modulus, int residue) {
        String quoted = SqlIdentifiers.quote(column);
        return SqlFragment.of("MOD(MOD(" + quoted + ", ?) + ?, ?) " + operator + " ?",
                modulus, modulus, modulus, residue);
    }

    private static void checkResidue(int modulus, int residue) {
        if (modulus < 1) {
            throw new IllegalArgumentException("modulus " + modulus + " is out of range, expected an integer >= 1");
        }
        if (residue < 0 || residue >= modulus) {
            throw new IllegalArgumentException("residue " + residue + " is out of range, expected an integer in [0, "
                    + (modulus - 1) + "]");
        }
    }
}
