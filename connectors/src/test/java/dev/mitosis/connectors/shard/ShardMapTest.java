package dev.mitosis.connectors.shard;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.OptionalInt;

import static dev.mitosis.connectors.shard.Ownership.KEEP;
import static dev.mitosis.connectors.shard.Ownership.MISPLACED;
import static dev.mitosis.connectors.shard.Ownership.NULL_KEY;
import static dev.mitosis.connectors.shard.Ownership.PURGE;
import static dev.mitosis.connectors.shard.ServerRole.A;
import static dev.mitosis.connectors.shard.ServerRole.A0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ShardMapTest {

    private final ShardMap two = new ShardMap(2);

    @Test
    void doublesTheShardCount() {
        assertThat(two.oldShards()).isEqualTo(2);
        assertThat(two.newShards()).isEqualTo(4);
        assertThat(new ShardMap(1).newShards()).isEqualTo(2);
    }

    @Test
    void aKeepsResidueIAndA0KeepsIPlusN() {
        assertThat(two.keptResidue(0, A)).isZero();
        assertThat(two.keptResidue(0, A0)).isEqualTo(2);
        assertThat(two.keptResidue(1, A)).isEqualTo(1);
        assertThat(two.keptResidue(1, A0)).isEqualTo(3);
        assertThat(two.purgedResidue(1, A)).isEqualTo(3);
        assertThat(two.purgedResidue(1, A0)).isEqualTo(1);
        assertThat(two.newShardOf(1, A0)).isEqualTo(3);
    }

    @Test
    void mapsNewShardsBackToTheirPairAndRole() {
        assertThat(two.oldShardOfNewShard(3)).isEqualTo(1);
        assertThat(two.roleOfNewShard(3)).isEqualTo(A0);
        assertThat(two.roleOfNewShard(1)).isEqualTo(A);
    }

    @Test
    void negativeKeysUseFloorModulo() {
        // Java's % and MariaDB's MOD give -1 here; the shard map's documented meaning is floor modulo.
        assertThat(two.newShardOf(-1L)).isEqualTo(3);
        assertThat(two.oldShardOf(-1L)).isEqualTo(1);
        assertThat(two.newShardOf(-4L)).isZero();
        assertThat(two.newShardOf(Long.MIN_VALUE)).isZero();
    }

    @Test
    void unsignedKeysAboveTwoToThe63UseUnsignedArithmetic() {
        long twoToThe63 = Long.MIN_VALUE; // bits of 2^63 read as unsigned
        long max = -1L; // bits of 2^64 - 1 read as unsigned
        assertThat(two.newShardOfUnsigned(twoToThe63)).isZero();
        assertThat(two.newShardOfUnsigned(max)).isEqualTo(3);
        assertThat(new ShardMap(3).newShardOfUnsigned(max))
                .isEqualTo(new BigInteger("18446744073709551615").mod(BigInteger.valueOf(6)).intValue());
        assertThat(two.newShardOf(new BigInteger("18446744073709551615"))).isEqualTo(3);
    }

    @Test
    void classifiesRowsOnEachServer() {
        assertThat(two.classify(5L, 1, A)).isEqualTo(KEEP);      // 5 mod 4 = 1
        assertThat(two.classify(5L, 1, A0)).isEqualTo(PURGE);
        assertThat(two.classify(5L, 0, A)).isEqualTo(MISPLACED);
        assertThat(two.classify(7L, 1, A0)).isEqualTo(KEEP);     // 7 mod 4 = 3
        assertThat(two.classifyUnsigned(-1L, 1, A0)).isEqualTo(KEEP);
        assertThat(two.classify(BigInteger.valueOf(-2), 0, A0)).isEqualTo(KEEP);
    }

    @Test
    void nullIsOwnedByNobodyAndNeverPurged() {
        assertThat(two.oldShardOfValue(null)).isEqualTo(OptionalInt.empty());
        assertThat(two.newShardOfValue(null)).isEqualTo(OptionalInt.empty());
        for (ServerRole role : ServerRole.values()) {
            assertThat(two.classifyValue(null, 0, role)).isEqualTo(NULL_KEY);
        }
    }

    @Test
    void acceptsEveryIntegralJdbcType() {
        assertThat(two.newShardOfValue(7L)).hasValue(3);
        assertThat(two.newShardOfValue(7)).hasValue(3);
        assertThat(two.newShardOfValue((short) -1)).hasValue(3);
        assertThat(two.newShardOfValue((byte) 2)).hasValue(2);
        assertThat(two.newShardOfValue(new BigInteger("18446744073709551615"))).hasValue(3);
        assertThat(two.newShardOfValue(new BigDecimal("-5"))).hasValue(3);
        assertThat(two.newShardOfValue(new BigDecimal("6.00"))).hasValue(2);
        assertThat(two.classifyValue(6L, 0, A0)).isEqualTo(KEEP);
    }

    @Test
    void rejectsNonIntegralKeys() {
        assertThatThrownBy(() -> two.newShardOfValue(new BigDecimal("1.5")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1.5");
        assertThatThrownBy(() -> two.newShardOfValue("7"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("java.lang.String");
        assertThatThrownBy(() -> two.newShardOfValue(7.0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectsOutOfRangeShards() {
        assertThatThrownBy(() -> new ShardMap(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0 is out of range");
        assertThatThrownBy(() -> new ShardMap(ShardMap.MAX_OLD_SHARDS + 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> two.keptResidue(2, A)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("old shard 2 is out of range, expected an integer in [0, 1]");
        assertThatThrownBy(() -> two.classify(1L, -1, A)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> two.classifyValue(null, 5, A)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> two.roleOfNewShard(4)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void worksAtTheLargestShardCount() {
        ShardMap largest = new ShardMap(ShardMap.MAX_OLD_SHARDS);
        assertThat(largest.newShards()).isEqualTo(Integer.MAX_VALUE - 1);
        assertThat(largest.keptResidue(ShardMap.MAX_OLD_SHARDS - 1, A0)).isEqualTo(Integer.MAX_VALUE - 2);
        assertThat(largest.newShardOf(-1L)).isEqualTo(Integer.MAX_VALUE - 2);
    }

    @Test
    void rolesArePlacedByPositionAndAreEachOthersSibling() {
        assertThat(ServerRole.atPosition(0)).isEqualTo(A);
        assertThat(ServerRole.atPosition(1)).isEqualTo(A0);
        assertThat(A.sibling()).isEqualTo(A0);
        assertThat(A0.sibling()).isEqualTo(A);
        assertThatThrownBy(() -> ServerRole.atPosition(2)).isInstanceOf(IllegalArgumentException.class);
    }
}
