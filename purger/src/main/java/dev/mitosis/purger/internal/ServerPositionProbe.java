package dev.mitosis.purger.internal;

import dev.mitosis.connectors.mariadb.GtidPosition;
import dev.mitosis.purger.ServerSessions;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** The purged server's {@code gtid_binlog_pos}, on one reused session: what capture must cover to be caught up. */
public final class ServerPositionProbe implements AutoCloseable {

    private final ReusedSession session;

    public ServerPositionProbe(ServerSessions sessions) {
        this.session = new ReusedSession(sessions);
    }

    /** The server's binlog position now. */
    public synchronized GtidPosition position() throws SQLException {
        try (Statement s = session.get().createStatement();
             ResultSet rs = s.executeQuery("SELECT @@GLOBAL.gtid_binlog_pos")) {
            rs.next();
            return GtidPosition.parse(rs.getString(1));
        } catch (SQLException e) {
            close();
            throw e;
        }
    }

    @Override
    public void close() {
        session.close();
    }
}
