package dev.mitosis.connectors.routing;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One published version of the routing: from {@code epoch} on, a uid goes to shard {@code floorMod(uid, modulus)}
 * (unsigned arithmetic for a BIGINT UNSIGNED uid), whose writer is {@code shards.get(shard)}.
 *
 * @param epoch       increases by one with every publication; clients acknowledge the epoch they applied
 * @param modulus     n before the split, 2n after it
 * @param shards      one endpoint per shard, in shard order
 * @param publishedAt ISO-8601 instant
 * @param reason      why it was published (the flip's {@code --reason}, or what the command did)
 * @param forced      published with {@code --force}, past a gate that was not a fresh PASS
 * @param gates       every pair's gate as the flip saw it (empty for a map that did not split)
 */
public record ShardMapVersion(long epoch, int modulus, List<ShardEndpoint> shards, String publishedAt, String reason,
                              boolean forced, List<GateRecord> gates) {

    public ShardMapVersion {
        Objects.requireNonNull(shards, "shards");
        gates = gates == null ? List.of() : List.copyOf(gates);
        if (modulus < 1 || shards.size() != modulus) {
            throw new IllegalArgumentException("a shard map of modulus " + modulus + " needs " + modulus
                    + " endpoints, got " + shards.size());
        }
        for (int i = 0; i < shards.size(); i++) {
            if (shards.get(i).shard() != i) {
                throw new IllegalArgumentException("endpoint " + i + " is for shard " + shards.get(i).shard());
            }
        }
        shards = List.copyOf(shards);
    }

    /** This map stamped with the moment it is written to the topic. */
    public ShardMapVersion publishedAt(Instant at) {
        return new ShardMapVersion(epoch, modulus, shards, at.toString(), reason, forced, gates);
    }

    /** The route of a signed uid (floor modulo: negative uids included). */
    public Route route(long uid) {
        return routeToShard(Math.floorMod(uid, modulus));
    }

    /** The route of a BIGINT UNSIGNED uid held in a long. */
    public Route routeUnsigned(long uid) {
        return routeToShard((int) Long.remainderUnsigned(uid, modulus));
    }

    /** The route of any integral uid. */
    public Route route(BigInteger uid) {
        return routeToShard(uid.mod(BigInteger.valueOf(modulus)).intValue());
    }

    @JsonIgnore
    public ShardEndpoint endpoint(int shard) {
        return shards.get(shard);
    }

    private Route routeToShard(int shard) {
        return new Route(shard, shards.get(shard), epoch);
    }
}
