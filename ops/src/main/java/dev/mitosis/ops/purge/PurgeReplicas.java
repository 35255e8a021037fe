package dev.mitosis.ops.purge;

import dev.mitosis.connectors.mariadb.ServerConnector;
import dev.mitosis.connectors.topology.MitosisConfig;
import dev.mitosis.connectors.topology.Pair;
import dev.mitosis.connectors.topology.Server;
import dev.mitosis.purger.ReplicaDiscovery;
import dev.mitosis.purger.ReplicaEndpoint;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Set;

/**
 * The replicas whose lag a purge watches, as {@code mitosis purge} and the daemon find them: the servers
 * {@code SHOW SLAVE HOSTS} lists on the purged server, but its old sibling. The purge only runs once the
 * replication-cut interlock held, yet right after the cut the sibling may still be listed, and its lag, never to be
 * measured again, would pause the purge for good.
 */
public final class PurgeReplicas {

    private PurgeReplicas() {
    }

    /** The replicas of {@code server} (the server of a new shard) to watch. */
    public static List<ReplicaEndpoint> of(MitosisConfig config, Server server) throws SQLException {
        return ReplicaDiscovery.find(new ServerConnector(server)::open, server.host(), server.credentials().user(),
                server.credentials().password().value(), siblingServerId(siblingOf(config, server)));
    }

    /** The other server of {@code server}'s old pair. */
    public static Server siblingOf(MitosisConfig config, Server server) {
        Pair pair = config.topology().pair(server.pair());
        return pair.a().name().equals(server.name()) ? pair.a0() : pair.a();
    }

    /** The sibling's {@code @@server_id}; none when it cannot be read (it is then likely gone from the list too). */
    static Set<Long> siblingServerId(Server sibling) {
        try (Connection c = new ServerConnector(sibling).open(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT @@server_id")) {
            return rs.next() ? Set.of(rs.getLong(1)) : Set.of();
        } catch (SQLException e) {
            return Set.of();
        }
    }
}
