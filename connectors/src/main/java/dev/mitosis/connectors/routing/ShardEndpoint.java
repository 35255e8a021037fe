package dev.mitosis.connectors.routing;

/**
 * Where the writes of one shard go.
 *
 * @param shard  the shard number under the map's modulus
 * @param server the server's name in the topology
 * @param host   its host
 * @param port   its port
 */
public record ShardEndpoint(int shard, String server, String host, int port) {

    /** {@code host:port}. */
    public String address() {
        return host + ":" + port;
    }
}
