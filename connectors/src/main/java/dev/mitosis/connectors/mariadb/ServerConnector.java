package dev.mitosis.connectors.mariadb;

import dev.mitosis.connectors.topology.Server;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Objects;
import java.util.Properties;

/**
 * Opens sessions to one configured server with its credentials and bounded timeouts: no call of a worker may
 * block forever on a server that stopped answering.
 */
public final class ServerConnector {

    /** Defaults for workers: 5 s to connect, 10 min for one statement to answer. */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration SOCKET_TIMEOUT = Duration.ofMinutes(10);

    private final Server server;
    private final Duration connectTimeout;
    private final Duration socketTimeout;

    public ServerConnector(Server server) {
        this(server, CONNECT_TIMEOUT, SOCKET_TIMEOUT);
    }

    public ServerConnector(Server server, Duration connectTimeout, Duration socketTimeout) {
        this.server = Objects.requireNonNull(server, "server");
        this.connectTimeout = connectTimeout;
        this.socketTimeout = socketTimeout;
    }

    public Server server() {
        return server;
    }

    /** The JDBC URL, without credentials (safe to log). */
    public String jdbcUrl() {
        return "jdbc:mariadb://" + server.host() + ":" + server.port() + "/";
    }

    /** A new session; the caller closes it. */
    public Connection open() throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", server.credentials().user());
        props.setProperty("password", server.credentials().password().value());
        props.setProperty("connectTimeout", Long.toString(connectTimeout.toMillis()));
        props.setProperty("socketTimeout", Long.toString(socketTimeout.toMillis()));
        return DriverManager.getConnection(jdbcUrl(), props);
    }

    /** {@code @@GLOBAL.gtid_binlog_pos}: every transaction in this server's binlog, its own and replicated ones. */
    public GtidPosition gtidBinlogPos() throws SQLException {
        try (Connection c = open(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT @@GLOBAL.gtid_binlog_pos")) {
            rs.next();
            return GtidPosition.parse(rs.getString(1));
        }
    }

    @Override
    public String toString() {
        return server.name() + "@" + server.host() + ":" + server.port();
    }
}
