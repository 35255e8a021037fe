package dev.mitosis.purger;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;

/**
 * Finds the servers replicating from the purged one (its new HA partner, any other replica) from
 * {@code SHOW SLAVE HOSTS}, so the throttle can watch their lag. A replica that does not report its host
 * ({@code report_host} unset) is assumed on the purged server's host; replicas are logged in to with the purged
 * server's credentials. A replica that cannot then be reached pauses the purge: it is never ignored.
 */
public final class ReplicaDiscovery {

    private ReplicaDiscovery() {
    }

    /**
     * @param source      sessions to the purged server
     * @param sourceHost  its host, for replicas that do not report theirs
     * @param user        the user to log in to replicas with
     * @param password    its password
     */
    public static List<ReplicaEndpoint> find(ServerSessions source, String sourceHost, String user, String password)
            throws SQLException {
        return find(source, sourceHost, user, password, Set.of());
    }

    /**
     * As {@link #find(ServerSessions, String, String, String)}, leaving out servers known not to replicate from the
     * purged one: the old sibling once the replication-cut interlock held. The source unregisters a replica only
     * when its dump thread next fails to send, so right after the cut the sibling may still be listed, and a
     * replica that never gets the heartbeat would pause the purge for good.
     *
     * @param notReplicas server ids to leave out
     */
    public static List<ReplicaEndpoint> find(ServerSessions source, String sourceHost, String user, String password,
                                             Set<Long> notReplicas) throws SQLException {
        List<ReplicaEndpoint> replicas = new ArrayList<>();
        try (Connection c = source.open(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SHOW SLAVE HOSTS")) {
            while (rs.next()) {
                long serverId = rs.getLong("Server_id");
                if (notReplicas.contains(serverId)) {
                    continue;
                }
                String host = rs.getString("Host");
                String effectiveHost = host == null || host.isBlank() ? sourceHost : host;
                int port = rs.getInt("Port");
                String url = "jdbc:mariadb://" + effectiveHost + ":" + port + "/";
                Properties props = new Properties();
                props.setProperty("user", user);
                props.setProperty("password", password);
                props.setProperty("connectTimeout", "5000");
                props.setProperty("socketTimeout", "30000");
                replicas.add(new ReplicaEndpoint("server_id=" + serverId + "@" + effectiveHost + ":" + port,
                        () -> DriverManager.getConnection(url, props)));
            }
        }
        return replicas;
    }
}
