package dev.mitosis.connectors.shard;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static dev.mitosis.connectors.shard.ServerRole.A;
import static dev.mitosis.connectors.shard.ServerRole.A0;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Invariants of the shard map over edge values and seeded random keys. The seed is printed; replay a failure
 * with {@code -Dmitosis.seed=<seed>}.
 */
class ShardMapPropertyTest {

    private static final int RANDOM_KEYS = 1000;
    private static final BigInteger TWO_TO_THE_64 = BigInteger.ONE.shiftLeft(64);

    private static long seed;

    @BeforeAll
    static void seed() {
        seed = Long.getLong("mitosis.seed", System.nanoTime());
        System.out.println("ShardMapPropertyTest seed=" + seed + " (replay with -Dmitosis.seed=" + seed + ")");
    }

    /** Signed keys: the edges, the neighbours of multiples of the moduli, and random ones small and large. */
    private static List<Long> signedKeys(int oldShards) {
        List<Long> keys = new ArrayList<>(List.of(0L, 1L, -1L, Long.MIN_VALUE, Long.MAX_VALUE,
                Long.MIN_VALUE + 1, Long.MAX_VALUE - 1));
        for (long k = -3; k <= 3; k++) {
            for (long delta = -1; delta <= 1; delta++) {
                keys.add(k * 2 * oldShards + delta);
            }
        }
        SplittableRandom random = new SplittableRandom(seed ^ oldShards);
        for (int i = 0; i < RANDOM_KEYS; i++) {
            keys.add(i % 2 == 0 ? random.nextLong() : random.nextLong(-10_000, 10_000));
        }
        return keys;
    }

    @ParameterizedTest(name = "n = {0}")
    @ValueSource(ints = {1, 2, 3, 4, 7, 8})
    void aKeepsIAndA0KeepsIPlusNAndEachPurgesTheOther(int n) {
        ShardMap map = new ShardMap(n);
        assertThat(map.newShards()).isEqualTo(2 * n);
        for (int i = 0; i < n; i++) {
            assertThat(map.keptResidue(i, A)).isEqualTo(i).isEqualTo(map.newShardOf(i, A));
            assertThat(map.keptResidue(i, A0)).isEqualTo(i + n).isEqualTo(map.newShardOf(i, A0));
            assertThat(map.purgedResidue(i, A)).isEqualTo(map.keptResidue(i, A0));
            assertThat(map.purgedResidue(i, A0)).isEqualTo(map.keptResidue(i, A));
            for (ServerRole role : ServerRole.values()) {
                assertThat(map.purgedResidue(i, role)).isNotEqualTo(map.keptResidue(i, role));
                int newShard = map.newShardOf(i, role);
                assertThat(map.oldShardOfNewShard(newShard)).isEqualTo(i);
                assertThat(map.roleOfNewShard(newShard)).isEqualTo(role);
            }
        }
    }

    @ParameterizedTest(name = "n = {0}")
    @ValueSource(ints = {1, 2, 3, 4, 7, 8})
    void everySignedKeyHasExactlyOneOwnerInsideItsOldShard(int n) {
        ShardMap map = new ShardMap(n);
        for (long uid : signedKeys(n)) {
            String context = "seed " + seed + ", n " + n + ", uid " + uid;
            BigInteger big = BigInteger.valueOf(uid);
            int newShard = map.newShardOf(uid);
            assertThat(newShard).as(context).isEqualTo(big.mod(BigInteger.valueOf(2L * n)).intValue());
            assertThat(map.oldShardOf(uid)).as(context).isEqualTo(big.mod(BigInteger.valueOf(n)).intValue());
            assertThat(newShard % n).as(context).isEqualTo(map.oldShardOf(uid));
            assertOneOwner(map, newShard, context, (pair, role) -> map.classify(uid, pair, role));

            // Every way of passing the same key agrees.
            assertThat(map.newShardOf(big)).as(context).isEqualTo(newShard);
            assertThat(map.newShardOfValue(uid)).as(context).hasValue(newShard);
            assertThat(map.newShardOfValue(new BigDecimal(big))).as(context).hasValue(newShard);
            assertThat(map.oldShardOfValue(uid)).as(context).hasValue(map.oldShardOf(uid));
            if (uid == (int) uid) {
                assertThat(map.newShardOfValue((int) uid)).as(context).hasValue(newShard);
            }
            if (uid >= 0) {
                assertThat(map.newShardOfUnsigned(uid)).as(context).isEqualTo(newShard);
            }
            for (int pair = 0; pair < n; pair++) {
                for (ServerRole role : ServerRole.values()) {
                    Ownership ownership = map.classify(uid, pair, role);
                    assertThat(map.classify(big, pair, role)).as(context).isEqualTo(ownership);
                    assertThat(map.classifyValue(uid, pair, role)).as(context).isEqualTo(ownership);
                    assertThat(map.classifyValue(big, pair, role)).as(context).isEqualTo(ownership);
                }
            }
        }
    }

    @ParameterizedTest(name = "n = {0}")
    @ValueSource(ints = {1, 2, 3, 4, 7, 8})
    void everyUnsignedKeyHasExactlyOneOwnerInsideItsOldShard(int n) {
        ShardMap map = new ShardMap(n);
        List<Long> keys = new ArrayList<>(signedKeys(n));
        keys.add(Long.MIN_VALUE); // 2^63
        keys.add(-1L);            // 2^64 - 1
        for (long bits : keys) {
            BigInteger unsigned = new BigInteger(Long.toUnsignedString(bits));
            String context = "seed " + seed + ", n " + n + ", unsigned uid " + unsigned;
            int newShard = map.newShardOfUnsigned(bits);
            assertThat(newShard).as(context).isEqualTo(unsigned.mod(BigInteger.valueOf(2L * n)).intValue());
            assertThat(map.oldShardOfUnsigned(bits)).as(context).isEqualTo(newShard % n);
            assertThat(map.newShardOf(unsigned)).as(context).isEqualTo(newShard);
            assertThat(map.newShardOfValue(unsigned)).as(context).hasValue(newShard);
            assertThat(map.newShardOfValue(new BigDecimal(unsigned))).as(context).hasValue(newShard);
            assertOneOwner(map, newShard, context, (pair, role) -> map.classifyUnsigned(bits, pair, role));
            for (int pair = 0; pair < n; pair++) {
                for (ServerRole role : ServerRole.values()) {
                    assertThat(map.classifyValue(unsigned, pair, role)).as(context)
                            .isEqualTo(map.classifyUnsigned(bits, pair, role));
                }
            }
        }
        // 2^64 - 1 and 2^63 as BigInteger too, beyond any long.
        assertThat(map.newShardOf(TWO_TO_THE_64.subtract(BigInteger.ONE))).isEqualTo(map.newShardOfUnsigned(-1L));
    }

    @ParameterizedTest(name = "n = {0}")
    @ValueSource(ints = {1, 2, 3, 4, 7, 8})
    void nullIsNeverOwnedNorPurged(int n) {
        ShardMap map = new ShardMap(n);
        assertThat(map.newShardOfValue(null)).isEmpty();
        assertThat(map.oldShardOfValue(null)).isEmpty();
        for (int pair = 0; pair < n; pair++) {
            for (ServerRole role : ServerRole.values()) {
                assertThat(map.classifyValue(null, pair, role)).isEqualTo(Ownership.NULL_KEY);
            }
        }
    }

    private interface Classifier {
        Ownership classify(int pair, ServerRole role);
    }

    /**
     * The owner (pair {@code s mod n}, role by {@code s < n}) keeps the row, its sibling purges it, and every
     * other server sees it as misplaced: so exactly one server keeps it and purges never touch a kept row.
     */
    private static void assertOneOwner(ShardMap map, int newShard, String context, Classifier classifier) {
        int ownerPair = map.oldShardOfNewShard(newShard);
        ServerRole ownerRole = map.roleOfNewShard(newShard);
        int keepers = 0;
        for (int pair = 0; pair < map.oldShards(); pair++) {
            for (ServerRole role : ServerRole.values()) {
                Ownership ownership = classifier.classify(pair, role);
                Ownership expected = pair != ownerPair ? Ownership.MISPLACED
                        : role == ownerRole ? Ownership.KEEP : Ownership.PURGE;
                assertThat(ownership).as(context + ", pair " + pair + " " + role).isEqualTo(expected);
                keepers += ownership == Ownership.KEEP ? 1 : 0;
            }
        }
        assertThat(keepers).as(context).isEqualTo(1);
    }
}
