package dev.mitosis.connectors.topology;

import dev.mitosis.connectors.shard.ServerRole;

import java.util.List;

/**
 * A dual-master pair: two servers holding the same rows, which is old shard {@link #number()}.
 *
 * @param number the pair number, which is also its old shard number
 * @param a      the first server listed: new shard {@code number} after the split
 * @param a0     the second server listed: new shard {@code number + n} after the split
 */
public record Pair(int number, Server a, Server a0) {

    /** Checks the servers know their place in this pair. */
    public Pair {
        if (a.pair() != number || a.role() != ServerRole.A || a0.pair() != number || a0.role() != ServerRole.A0) {
            throw new IllegalArgumentException("servers " + a + " and " + a0 + " are not A and A0 of pair " + number);
        }
    }

    /** The server with the given role. */
    public Server server(ServerRole role) {
        return role == ServerRole.A ? a : a0;
    }

    /** Both servers, A first. */
    public List<Server> servers() {
        return List.of(a, a0);
    }
}
