package dev.mitosis.connectors.topology;

import dev.mitosis.connectors.shard.ShardMap;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The fleet before the split: one dual-master pair per old shard, and the shard map of the split.
 *
 * @param shardMap {@code n} old shards to {@code 2n} new ones
 * @param pairs    pair {@code i} at index {@code i}, one per old shard
 */
public record Topology(ShardMap shardMap, List<Pair> pairs) {

    /** Checks there is exactly one pair per old shard, in order. */
    public Topology {
        Objects.requireNonNull(shardMap, "shardMap");
        pairs = List.copyOf(pairs);
        if (pairs.size() != shardMap.oldShards()) {
            throw new IllegalArgumentException(pairs.size() + " pairs for " + shardMap.oldShards() + " old shards");
        }
        for (int i = 0; i < pairs.size(); i++) {
            if (pairs.get(i).number() != i) {
                throw new IllegalArgumentException("pair " + pairs.get(i).number() + " at index " + i);
            }
        }
    }

    /** {@code n}: the number of pairs. */
    public int oldShards() {
        return shardMap.oldShards();
    }

    /** {@code 2n}. */
    public int newShards() {
        return shardMap.newShards();
    }

    /** Pair (old shard) {@code number}. */
    public Pair pair(int number) {
        if (number < 0 || number >= pairs.size()) {
            throw new IllegalArgumentException("pair " + number + " is out of range, expected an integer in [0, "
                    + (pairs.size() - 1) + "]");
        }
        return pairs.get(number);
    }

    /** Every server, pair by pair, A before A0. */
    public List<Server> servers() {
        return pairs.stream().flatMap(pair -> pair.servers().stream()).toList();
    }

    /** The server named {@code name}, if any. */
    public Optional<Server> server(String name) {
        return servers().stream().filter(server -> server.name().equals(name)).findFirst();
    }

    /** The server that is new shard {@code newShard} after the split. */
    public Server serverOfNewShard(int newShard) {
        return pair(shardMap.oldShardOfNewShard(newShard)).server(shardMap.roleOfNewShard(newShard));
    }
}
