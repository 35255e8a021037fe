package dev.mitosis.connectors.shard;

import dev.mitosis.connectors.sql.SqlFragment;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.List;

import static dev.mitosis.connectors.shard.ServerRole.A;
import static dev.mitosis.connectors.shard.ServerRole.A0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ResiduePredicatesTest {

    private final ResiduePredicates predicates = new ResiduePredicates(new ShardMap(2));

    @Test
    void bindsModulusAndResidueAndQuotesTheColumn() {
        SqlFragment fragment = ResiduePredicates.residueEquals("user`id", 4, 3);
        assertThat(fragment.sql()).isEqualTo("MOD(MOD(`user``id`, ?) + ?, ?) = ?");
        assertThat(fragment.params()).containsExactly(4, 4, 4, 3);
    }

    @Test
    void purgeableIsTheSiblingsResidue() {
        assertThat(predicates.purgeableOn("uid", 1, A).params()).containsExactly(4, 4, 4, 3);
        assertThat(predicates.purgeableOn("uid", 1, A0).params()).containsExactly(4, 4, 4, 1);
    }

    @Test
    void ownershipPredicatesUseTheRightModulus() {
        assertThat(predicates.ownedByNewShard("uid", 2).params()).containsExactly(4, 4, 4, 2);
        assertThat(predicates.ownedByOldShard("uid", 1).params()).containsExactly(2, 2, 2, 1);
        SqlFragment misplaced = predicates.misplacedOn("uid", 0);
        assertThat(misplaced.sql()).isEqualTo("MOD(MOD(`uid`, ?) + ?, ?) <> ?");
        assertThat(misplaced.params()).containsExactly(2, 2, 2, 0);
    }

    @Test
    void rejectsOutOfRangeArguments() {
        assertThatThrownBy(() -> ResiduePredicates.residueEquals("uid", 4, 4))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("residue 4 is out of range");
        assertThatThrownBy(() -> ResiduePredicates.residueEquals("uid", 0, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> predicates.ownedByNewShard("uid", 4)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> predicates.ownedByOldShard("uid", 2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> predicates.purgeableOn("uid", 2, A0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> predicates.misplacedOn("uid", -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ResiduePredicates.residueEquals("", 4, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * The formula under MariaDB's MOD semantics (truncated division: the result has the dividend's sign, exact
     * for BIGINT and BIGINT UNSIGNED) equals floor modulo for every edge value. The IT runs it on a server.
     */
    @Test
    void formulaUnderTruncatedModEqualsFloorModulo() {
        List<BigInteger> keys = List.of(BigInteger.ZERO, BigInteger.ONE, BigInteger.ONE.negate(),
                BigInteger.valueOf(Long.MIN_VALUE), BigInteger.valueOf(Long.MAX_VALUE),
                BigInteger.ONE.shiftLeft(63), BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE),
                BigInteger.valueOf(-7), BigInteger.valueOf(13));
        for (int modulus = 1; modulus <= 16; modulus++) {
            BigInteger m = BigInteger.valueOf(modulus);
            for (BigInteger key : keys) {
                BigInteger sqlResult = key.remainder(m).add(m).remainder(m);
                assertThat(sqlResult).as("key %s mod %d", key, modulus).isEqualTo(key.mod(m));
            }
        }
    }
}
