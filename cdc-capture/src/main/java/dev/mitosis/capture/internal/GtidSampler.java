package dev.mitosis.capture.internal;

import dev.mitosis.connectors.mariadb.GtidPosition;
import dev.mitosis.connectors.mariadb.ServerConnector;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A server's {@code @@GLOBAL.gtid_binlog_pos}, sampled for every status on one kept session (bounded by the
 * connector's socket timeout): a new session four times a second per server cost capture more than its marking.
 * A failed sample drops the session; the next one opens a new one. Used from one thread.
 */
final class GtidSampler implements AutoCloseable {

    private final ServerConnector connector;
    private Connection session;

    GtidSampler(ServerConnector connector) {
        this.connector = connector;
    }

    GtidPosition gtidBinlogPos() throws SQLException {
        try {
            if (session == null) {
                session = connector.open();
            }
            try (Statement s = session.createStatement();
                 ResultSet rs = s.executeQuery("SELECT @@GLOBAL.gtid_binlog_pos")) {
                rs.next();
                return GtidPosition.parse(rs.getString(1));
            }
        } catch (SQLException | RuntimeException e) {
            close();
            throw e;
        }
    }

    @Override
    public void close() {
        Connection open = session;
        session = null;
        if (open != null) {
            try {
                open.close();
            } catch (SQLException e) {
                // The session is gone either way.
            }
        }
    }
}
