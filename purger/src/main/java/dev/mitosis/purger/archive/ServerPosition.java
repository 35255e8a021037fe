package dev.mitosis.purger.archive;

import dev.mitosis.connectors.mariadb.GtidPosition;
import dev.mitosis.purger.ServerSessions;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** The server's {@code gtid_binlog_pos}: everything its binlog holds, which capture must cover. */
public final class ServerPosition {

    private ServerPosition() {
    }

    public static GtidPosition of(ServerSessions sessions) throws SQLException {
        try (Connection c = sessions.open(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT @@GLOBAL.gtid_binlog_pos")) {
            rs.next();
            return GtidPosition.parse(rs.getString(1));
        }
    }
}
