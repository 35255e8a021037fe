package dev.mitosis.testkit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** GTID replication between two servers: one direction at a time, set up, inspected and torn down by SQL. */
public final class Replication {

    static final String USER = "mitosis_repl";
    private static final Duration RUNNING_TIMEOUT = Duration.ofSeconds(60);

    private Replication() {
    }

    /**
     * Creates the replication account on {@code server} with only REPLICATION SLAVE, with {@code sql_log_bin=0}: run
     * on both sides of a pair, a replicated CREATE USER would stop the peer's SQL thread.
     */
    static void createUser(MariaDbServer server, String password) {
        String account = "'" + USER + "'@'127.0.0.1'";
        // OR REPLACE: a server re-partnered after a cut already has the account, with its old partner's password.
        server.execute("SET sql_log_bin=0",
                "CREATE OR REPLACE USER " + account + " IDENTIFIED BY " + literal(password),
                "GRANT REPLICATION SLAVE ON *.* TO " + account);
    }

    /**
     * Makes {@code replica} replicate from {@code source} with {@code MASTER_USE_GTID=slave_pos}, starting at
     * {@code startPosition} (a GTID list, possibly empty), and waits until both threads run.
     */
    static void start(MariaDbServer replica, MariaDbServer source, String password, String startPosition) {
        replica.execute(
                "STOP SLAVE",
                "SET GLOBAL gtid_slave_pos = " + literal(startPosition),
                "CHANGE MASTER TO MASTER_HOST='" + source.host() + "', MASTER_PORT=" + source.port()
                        + ", MASTER_USER='" + USER + "', MASTER_PASSWORD=" + literal(password)
                        + ", MASTER_USE_GTID=slave_pos, MASTER_SSL=0, MASTER_CONNECT_RETRY=1",
                "START SLAVE");
        awaitRunning(replica);
    }

    /** Stops replication into {@code server} and forgets its source (RESET SLAVE ALL). */
    static void stopAndReset(MariaDbServer server) {
        server.execute("STOP ALL SLAVES", "RESET SLAVE ALL");
    }

    /** Every replication connection of {@code server}. */
    public static List<ReplicationStatus> status(MariaDbServer server) {
        try (Connection c = server.connect(""); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SHOW ALL SLAVES STATUS")) {
            List<ReplicationStatus> result = new ArrayList<>();
            while (rs.next()) {
                Object behind = rs.getObject("Seconds_Behind_Master");
                result.add(new ReplicationStatus(
                        rs.getString("Connection_name"),
                        rs.getString("Master_Host"),
                        rs.getInt("Master_Port"),
                        "Yes".equals(rs.getString("Slave_IO_Running")),
                        "Yes".equals(rs.getString("Slave_SQL_Running")),
                        nullToEmpty(rs.getString("Last_IO_Error")),
                        nullToEmpty(rs.getString("Last_SQL_Error")),
                        behind == null ? null : ((Number) behind).longValue(),
                        nullToEmpty(rs.getString("Gtid_IO_Pos"))));
            }
            return result;
        } catch (SQLException e) {
            throw new IllegalStateException(server.name() + ": SHOW ALL SLAVES STATUS failed: " + e.getMessage(), e);
        }
    }

    /**
     * Waits until {@code replica} has applied every transaction {@code source} wrote in its own GTID domain so far.
     * Only the source's own domain counts: the peer's replicated writes come back to a server ignored by server_id.
     */
    static boolean awaitApplied(MariaDbServer replica, MariaDbServer source, Duration timeout) {
        String position = ownDomainPosition(source);
        if (position.isEmpty()) {
            return true;
        }
        try (Connection c = replica.connect("");
             PreparedStatement ps = c.prepareStatement("SELECT MASTER_GTID_WAIT(?, ?)")) {
            ps.setString(1, position);
            ps.setDouble(2, timeout.toMillis() / 1000.0);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getInt(1) == 0;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(replica.name() + ": MASTER_GTID_WAIT failed: " + e.getMessage(), e);
        }
    }

    /** The part of {@code gtid_binlog_pos} in the server's own domain, e.g. {@code 1-101-57}, or empty. */
    static String ownDomainPosition(MariaDbServer server) {
        String prefix = server.gtidDomainId() + "-";
        return Arrays.stream(server.gtidBinlogPos().split(","))
                .map(String::trim)
                .filter(g -> g.startsWith(prefix))
                .collect(Collectors.joining(","));
    }

    private static void awaitRunning(MariaDbServer replica) {
        long deadline = System.nanoTime() + RUNNING_TIMEOUT.toNanos();
        List<ReplicationStatus> status = status(replica);
        while (status.isEmpty() || !status.stream().allMatch(ReplicationStatus::healthy)) {
            // IO errors are retried every MASTER_CONNECT_RETRY second; an SQL error stays until someone acts.
            boolean failed = status.stream().anyMatch(r -> !r.lastSqlError().isEmpty());
            if (failed || System.nanoTime() > deadline) {
                throw new IllegalStateException(replica.name() + ": replication did not start: "
                        + status.stream().map(ReplicationStatus::describe).collect(Collectors.joining("; ")));
            }
            MariaDbServer.pause(Duration.ofMillis(50));
            status = status(replica);
        }
    }

    static String literal(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "''") + "'";
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
