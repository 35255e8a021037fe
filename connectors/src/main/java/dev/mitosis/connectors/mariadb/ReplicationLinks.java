package dev.mitosis.connectors.mariadb;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** The replication connections into a server: read them, or stop and forget them all (the cut after a split). */
public final class ReplicationLinks {

    private ReplicationLinks() {
    }

    /** Every replication connection into the server of {@code session}, from {@code SHOW ALL SLAVES STATUS}. */
    public static List<ReplicationLink> of(Connection session) throws SQLException {
        try (Statement s = session.createStatement(); ResultSet rs = s.executeQuery("SHOW ALL SLAVES STATUS")) {
            List<ReplicationLink> links = new ArrayList<>();
            while (rs.next()) {
                Object behind = rs.getObject("Seconds_Behind_Master");
                links.add(new ReplicationLink(
                        rs.getString("Connection_name"),
                        rs.getString("Master_Host"),
                        rs.getInt("Master_Port"),
                        rs.getLong("Master_Server_Id"),
                        "Yes".equals(rs.getString("Slave_IO_Running")),
                        "Yes".equals(rs.getString("Slave_SQL_Running")),
                        nullToEmpty(rs.getString("Last_IO_Error")),
                        nullToEmpty(rs.getString("Last_SQL_Error")),
                        behind == null ? null : ((Number) behind).longValue(),
                        GtidPosition.parse(rs.getString("Gtid_IO_Pos"))));
            }
            return links;
        }
    }

    /**
     * Stops every replication connection into the server and forgets them ({@code STOP ALL SLAVES},
     * {@code RESET SLAVE ALL} for each): afterwards nothing written elsewhere reaches it. Idempotent.
     */
    public static void stopAndForgetAll(Connection session) throws SQLException {
        List<ReplicationLink> links = of(session);
        try (Statement s = session.createStatement()) {
            s.execute("STOP ALL SLAVES");
            for (ReplicationLink link : links) {
                s.execute("RESET SLAVE " + connectionLiteral(link.connectionName()) + " ALL");
            }
        }
    }

    private static String connectionLiteral(String name) {
        return "'" + name.replace("\\", "\\\\").replace("'", "''") + "'";
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
