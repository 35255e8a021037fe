package dev.mitosis.purger;

import dev.mitosis.connectors.mariadb.ReplicationLink;
import dev.mitosis.connectors.mariadb.ReplicationLinks;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Interlock (2): the old pair's replication is cut both ways. Otherwise a purge delete on A replicates to A0 and
 * destroys rows A0 owns. Checked by SQL on both servers: neither may have a replication connection (running or
 * stopped, since a stopped one can be started again) whose source is the other, matched by server id or by
 * address. A server that cannot be asked fails the check.
 */
public final class ReplicationCutInterlock implements Interlock {

    /** The interlock's name in refusals. */
    public static final String NAME = "replication cut";

    /**
     * One server of the old pair.
     *
     * @param name     its configured name
     * @param host     its configured host
     * @param port     its port
     * @param sessions sessions to it
     */
    public record Endpoint(String name, String host, int port, ServerSessions sessions) {
        /** Checks all parts are present. */
        public Endpoint {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(sessions, "sessions");
        }
    }

    private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "localhost", "::1");

    private final Endpoint a;
    private final Endpoint a0;

    /** The interlock for the pair of {@code a} and {@code a0}. */
    public ReplicationCutInterlock(Endpoint a, Endpoint a0) {
        this.a = a;
        this.a0 = a0;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public InterlockResult check() {
        try {
            long aId = serverId(a);
            long a0Id = serverId(a0);
            List<String> links = new ArrayList<>();
            links.addAll(linksFrom(a, a0, a0Id));
            links.addAll(linksFrom(a0, a, aId));
            if (!links.isEmpty()) {
                return InterlockResult.refused(NAME, "the old pair still replicates: " + String.join("; ", links)
                        + " (run: mitosis pair cut)");
            }
            return InterlockResult.holds(NAME, "neither " + a.name() + " nor " + a0.name()
                    + " has a replication connection to the other");
        } catch (SQLException e) {
            return InterlockResult.refused(NAME, "cannot check: " + e.getMessage());
        }
    }

    private static long serverId(Endpoint server) throws SQLException {
        try (Connection c = server.sessions().open(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT @@server_id")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new SQLException(server.name() + ": " + e.getMessage(), e.getSQLState(), e.getErrorCode(), e);
        }
    }

    /** The replication connections of {@code replica} whose source is {@code source}, described. */
    private static List<String> linksFrom(Endpoint replica, Endpoint source, long sourceId) throws SQLException {
        List<String> links = new ArrayList<>();
        try (Connection c = replica.sessions().open()) {
            for (ReplicationLink link : ReplicationLinks.of(c)) {
                if (link.sourceServerId() == sourceId
                        || (link.sourcePort() == source.port() && sameHost(link.sourceHost(), source.host()))) {
                    links.add(replica.name() + " replicates from " + source.name() + " (connection '"
                            + link.connectionName() + "', io=" + (link.ioRunning() ? "Yes" : "No")
                            + ", sql=" + (link.sqlRunning() ? "Yes" : "No") + ")");
                }
            }
        } catch (SQLException e) {
            throw new SQLException(replica.name() + ": " + e.getMessage(), e.getSQLState(), e.getErrorCode(), e);
        }
        return links;
    }

    private static boolean sameHost(String a, String b) {
        if (a == null || b == null) {
            return false;
        }
        String x = a.toLowerCase(Locale.ROOT);
        String y = b.toLowerCase(Locale.ROOT);
        return x.equals(y) || (LOOPBACK.contains(x) && LOOPBACK.contains(y));
    }
}
