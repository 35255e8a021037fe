package dev.mitosis.connectors.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mitosis.connectors.shard.ShardMap;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ShardMapVersionTest {

    private static ShardMapVersion map(long epoch, int modulus) {
        List<ShardEndpoint> shards = new ArrayList<>();
        for (int i = 0; i < modulus; i++) {
            shards.add(new ShardEndpoint(i, "s" + i, "127.0.0.1", 30000 + i));
        }
        return new ShardMapVersion(epoch, modulus, shards, "2026-11-23T00:00:00Z", "test", false, List.of());
    }

    @Test
    void routesExactlyAsTheShardMapAssignsOwnership() {
        long seed = Long.getLong("mitosis.seed", System.nanoTime());
        System.out.println("ShardMapVersionTest seed=" + seed + " (replay with -Dmitosis.seed=" + seed + ")");
        Random random = new Random(seed);
        ShardMap shardMap = new ShardMap(3);
        ShardMapVersion before = map(1, 3);
        ShardMapVersion after = map(2, 6);
        List<Long> uids = new ArrayList<>(List.of(0L, 1L, -1L, -7L, Long.MIN_VALUE, Long.MAX_VALUE));
        for (int i = 0; i < 1000; i++) {
            uids.add(random.nextLong());
        }
        for (long uid : uids) {
            assertThat(before.route(uid).shard()).as("uid %d", uid).isEqualTo(shardMap.oldShardOf(uid));
            assertThat(after.route(uid).shard()).as("uid %d", uid).isEqualTo(shardMap.newShardOf(uid));
            assertThat(after.route(uid).epoch()).isEqualTo(2);
        }
    }

    @Test
    void unsignedAndBigIntegerUidsUseUnsignedArithmetic() {
        ShardMapVersion m = map(1, 4);
        long twoTo64Minus1 = -1L;

        assertThat(m.routeUnsigned(twoTo64Minus1).shard()).isEqualTo(3);
        assertThat(m.route(new BigInteger("18446744073709551615")).shard()).isEqualTo(3);
        assertThat(m.route(-1L).shard()).isEqualTo(3);
        assertThat(m.routeUnsigned(Long.MIN_VALUE).shard()).as("2^63 mod 4").isZero();
    }

    @Test
    void roundTripsThroughItsJson() {
        ShardMapVersion m = map(7, 4);

        assertThat(RoutingJson.read(RoutingJson.write(m), ShardMapVersion.class)).isEqualTo(m);
        RoutingAck ack = new RoutingAck("svc-1", 7, "2026-11-23T00:00:01Z", "host", "2026-11-23T00:00:02Z");
        assertThat(RoutingJson.read(RoutingJson.write(ack), RoutingAck.class)).isEqualTo(ack);
    }

    @Test
    void aMapMustNameOneEndpointPerShardInOrder() {
        assertThatThrownBy(() -> new ShardMapVersion(1, 4, map(1, 3).shards(), "t", "r", false, List.of()))
                .hasMessageContaining("needs 4 endpoints");
        List<ShardEndpoint> swapped = new ArrayList<>(map(1, 2).shards());
        java.util.Collections.swap(swapped, 0, 1);
        assertThatThrownBy(() -> new ShardMapVersion(1, 2, swapped, "t", "r", false, List.of()))
                .hasMessageContaining("endpoint 0 is for shard 1");
    }
}
