package dev.mitosis.capture.internal;

import dev.mitosis.capture.PreflightException;
import dev.mitosis.capture.PreflightException.Problem;
import dev.mitosis.capture.SnapshotMode;
import dev.mitosis.connectors.mariadb.ServerConnector;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks a server is set up for capture before an engine starts on it, so a bad setting fails at once with its
 * fix instead of as a Debezium stack trace. The minimum grants for capture's user are SELECT (on the schemas in
 * scope), REPLICATION SLAVE, and BINLOG MONITOR (REPLICATION CLIENT before MariaDB 10.5); RELOAD only for
 * {@code --snapshot initial}, whose consistent read takes {@code FLUSH TABLES WITH READ LOCK}.
 */
public final class Preflight {

    private final ServerConnector connector;
    private final List<String> schemas;
    private final SnapshotMode snapshotMode;

    public Preflight(ServerConnector connector, List<String> schemas, SnapshotMode snapshotMode) {
        this.connector = connector;
        this.schemas = List.copyOf(schemas);
        this.snapshotMode = snapshotMode;
    }

    /** What preflight learned of a server that passed. */
    public record Facts(long serverId, boolean annotatesRows) {
    }

    /**
     * Runs every check. Throws {@link PreflightException} naming every problem; {@link SQLException} if the server
     * cannot be asked (down or restarting: retriable).
     */
    public Facts check() throws SQLException {
        String server = connector.server().name();
        String user = connector.server().credentials().user();
        List<Problem> problems = new ArrayList<>();
        long serverId;
        boolean annotates;
        try (Connection c = connector.open(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT @@GLOBAL.log_bin, @@GLOBAL.binlog_format, "
                    + "@@GLOBAL.binlog_row_image, @@GLOBAL.log_slave_updates, @@GLOBAL.server_id, "
                    + "@@GLOBAL.binlog_annotate_row_events")) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    problems.add(new Problem("log_bin", "OFF",
                            "start mariadbd with --log-bin (binary logging is what capture reads)"));
                }
                String format = rs.getString(2);
                if (!"ROW".equalsIgnoreCase(format)) {
                    problems.add(new Problem("binlog_format", format,
                            "SET GLOBAL binlog_format=ROW and binlog_format=ROW in my.cnf (--binlog-format=ROW), "
                                    + "then restart the server's client sessions"));
                }
                String image = rs.getString(3);
                if (!"FULL".equalsIgnoreCase(image)) {
                    problems.add(new Problem("binlog_row_image", image,
                            "SET GLOBAL binlog_row_image=FULL and binlog_row_image=FULL in my.cnf "
                                    + "(before-images must hold every column for the archive)"));
                }
                if (!rs.getBoolean(4)) {
                    problems.add(new Problem("log_slave_updates", "OFF",
                            "set log_slave_updates=ON in my.cnf and restart: each server's binlog must also hold "
                                    + "its peer's writes"));
                }
                serverId = rs.getLong(5);
                annotates = rs.getBoolean(6);
            }
            try (ResultSet rs = s.executeQuery("SELECT @@GLOBAL.gtid_binlog_pos, @@GLOBAL.gtid_strict_mode")) {
                rs.next();
                // GTIDs are always on in MariaDB; what can be missing is the position itself (no binlog yet).
                if (rs.getString(1) == null) {
                    problems.add(new Problem("GTID", "no gtid_binlog_pos",
                            "enable the binary log (--log-bin) so transactions get GTIDs"));
                }
            }
            List<String> lines = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SHOW GRANTS FOR CURRENT_USER()")) {
                while (rs.next()) {
                    lines.add(rs.getString(1));
                }
            }
            Grants grants = Grants.parse(lines);
            List<String> missing = new ArrayList<>();
            if (!grants.hasGlobal("REPLICATION SLAVE")) {
                missing.add("REPLICATION SLAVE");
            }
            if (!grants.hasGlobal("BINLOG MONITOR") && !grants.hasGlobal("REPLICATION CLIENT")) {
                missing.add("BINLOG MONITOR");
            }
            if (snapshotMode == SnapshotMode.INITIAL && !grants.hasGlobal("RELOAD")) {
                missing.add("RELOAD");
            }
            if (!missing.isEmpty()) {
                problems.add(new Problem("grants of " + user, "missing " + String.join(", ", missing),
                        "GRANT " + String.join(", ", missing) + " ON *.* TO '" + user + "'@'<host>'"));
            }
            for (String schema : schemas) {
                if (!grants.canSelect(schema)) {
                    problems.add(new Problem("grants of " + user, "no SELECT on " + schema,
                            "GRANT SELECT ON `" + schema + "`.* TO '" + user + "'@'<host>'"));
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new PreflightException(server, problems);
        }
        return new Facts(serverId, annotates);
    }
}
