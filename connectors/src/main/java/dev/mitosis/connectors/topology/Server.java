package dev.mitosis.connectors.topology;

import dev.mitosis.connectors.shard.ServerRole;

import java.util.Objects;

/**
 * One MariaDB server of the fleet.
 *
 * @param name        unique in the topology; goes into Kafka topic names
 * @param address     where it listens
 * @param pair        the pair (old shard) it belongs to
 * @param role        A (listed first in its pair) or A0 (listed second)
 * @param credentials what to log in with: the server's own override, else the config's default
 */
public record Server(String name, HostPort address, int pair, ServerRole role, Credentials credentials) {

    /** Checks all parts are present. */
    public Server {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(credentials, "credentials");
    }

    /** The host name or IP address. */
    public String host() {
        return address.host();
    }

    /** The TCP port. */
    public int port() {
        return address.port();
    }

    @Override
    public String toString() {
        return name + "(" + address + ", pair " + pair + " " + role + ")";
    }
}
