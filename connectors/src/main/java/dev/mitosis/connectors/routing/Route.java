package dev.mitosis.connectors.routing;

/** Where one uid goes under one version of the shard map. */
public record Route(int shard, ShardEndpoint endpoint, long epoch) {
}
