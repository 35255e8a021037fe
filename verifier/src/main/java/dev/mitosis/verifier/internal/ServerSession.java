package dev.mitosis.verifier.internal;

import dev.mitosis.connectors.mariadb.ReplicationLink;
import dev.mitosis.connectors.mariadb.ReplicationLinks;

import dev.mitosis.connectors.mariadb.GtidPosition;
import dev.mitosis.connectors.mariadb.ServerConnector;
import dev.mitosis.connectors.sql.SqlFragment;
import dev.mitosis.verifier.VerifySettings;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The verifier's one session on one server. It pins what changes how values print (time zone, sql_mode,
 * character set), so servers with different defaults but the same data give the same digests, and bounds every
 * statement and lock wait so the verifier never holds up the primary it reads.
 */
public final class ServerSession implements AutoCloseable {

    /** The most bytes of row text one ordered chunk digest holds; a bigger chunk is digested per row instead. */
    static final long GROUP_CONCAT_MAX_LEN = 256L << 20;

    private final ServerConnector connector;
    private final Connection connection;
    private final long ownDomain;

    private ServerSession(ServerConnector connector, Connection connection, long ownDomain) {
        this.connector = connector;
        this.connection = connection;
        this.ownDomain = ownDomain;
    }

    /** Opens and pins a session. */
    public static ServerSession open(ServerConnector connector, VerifySettings settings) throws SQLException {
        Connection c = connector.open();
        try (Statement s = c.createStatement()) {
            s.execute("SET NAMES utf8mb4 COLLATE utf8mb4_bin");
            // No NO_ZERO_DATE or NO_ZERO_IN_DATE: under them a zero date would enter the row digest as NULL does.
            s.execute("SET SESSION time_zone = '+00:00', sql_mode = 'STRICT_ALL_TABLES,NO_ENGINE_SUBSTITUTION',"
                    + " max_statement_time = " + settings.statementTimeout().toMillis() / 1000.0
                    + ", lock_wait_timeout = " + settings.lockWaitTimeoutSeconds()
                    + ", innodb_lock_wait_timeout = " + settings.lockWaitTimeoutSeconds()
                    + ", transaction_isolation = 'REPEATABLE-READ'"
                    + ", group_concat_max_len = " + GROUP_CONCAT_MAX_LEN);
            long domain;
            try (ResultSet rs = s.executeQuery("SELECT @@GLOBAL.gtid_domain_id")) {
                rs.next();
                domain = rs.getLong(1);
            }
            return new ServerSession(connector, c, domain);
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    public Connection connection() {
        return connection;
    }

    public String serverName() {
        return connector.server().name();
    }

    /** The GTID domain this server writes its own transactions in. */
    public long ownDomain() {
        return ownDomain;
    }

    /** COUNT(*) and digest of the rows of {@code range}. */
    public ChunkDigest checksum(TableShape shape, KeyRange range) throws SQLException {
        return checksum(shape, range.predicate(shape.keyColumns()));
    }

    /** COUNT(*) and digest of the rows matching {@code where}. */
    public ChunkDigest checksum(TableShape shape, SqlFragment where) throws SQLException {
        long start = System.nanoTime();
        try (PreparedStatement s = connection.prepareStatement(RowEncoding.chunkChecksumSql(shape, where.sql()))) {
            where.bind(s, 1);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                // The halves are BIGINT UNSIGNED; their low 64 bits are all that matters.
                return new ChunkDigest(rs.getLong(1), rs.getBigDecimal(2).longValue(), rs.getBigDecimal(3).longValue(),
                        (System.nanoTime() - start) / 1_000_000);
            }
        }
    }

    /**
     * COUNT(*) and the ordered digest of the rows of {@code range}, or empty when the server cut the row text short
     * (more than {@link #GROUP_CONCAT_MAX_LEN} bytes) or warned of anything else: then only the per-row digest holds.
     */
    public Optional<ChunkDigest> orderedChecksum(TableShape shape, KeyRange range) throws SQLException {
        SqlFragment where = range.predicate(shape.keyColumns());
        long start = System.nanoTime();
        try (PreparedStatement s = connection.prepareStatement(RowEncoding.chunkOrderedDigestSql(shape, where.sql()))) {
            where.bind(s, 1);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                long rows = rs.getLong(1);
                String md5 = rs.getString(2);
                if (s.getWarnings() != null) {
                    return Optional.empty();
                }
                long millis = (System.nanoTime() - start) / 1_000_000;
                if (md5 == null) {
                    return Optional.of(new ChunkDigest(rows, 0, 0, millis, true));
                }
                return Optional.of(new ChunkDigest(rows, Long.parseUnsignedLong(md5.substring(0, 16), 16),
                        Long.parseUnsignedLong(md5.substring(16, 32), 16), millis, true));
            }
        }
    }

    /**
     * A boundary found by seeking forward on the key.
     *
     * @param key  the last key of the next {@code rows} keys in the range
     * @param seen how many keys the seek saw (fewer than asked: the range has no more)
     */
    public record Boundary(KeyBound key, long seen) {
    }

    /**
     * The last of the next {@code rows} keys inside {@code within} (from its lower bound up), or empty when the
     * range holds no row. Seeks forward on the primary key; never OFFSET.
     */
    public Optional<Boundary> nextBoundary(TableShape shape, KeyRange within, int rows) throws SQLException {
        SqlFragment where = within.predicate(shape.keyColumns());
        String keys = shape.quotedKeyList();
        String sql = "SELECT " + keys + ", COUNT(*) OVER () FROM (SELECT " + keys + " FROM " + shape.quotedName()
                + " WHERE " + where.sql() + " ORDER BY " + keys + " LIMIT ?) AS chunk_keys ORDER BY "
                + shape.quotedKeyListDescending() + " LIMIT 1";
        try (PreparedStatement s = connection.prepareStatement(sql)) {
            int next = where.bind(s, 1);
            s.setInt(next, rows);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                KeyBound key = KeyBound.read(rs, 1, shape.keyColumns());
                return Optional.of(new Boundary(key, rs.getLong(shape.keyColumns().size() + 1)));
            }
        }
    }

    /** {@code @@gtid_binlog_pos}. */
    public GtidPosition gtidBinlogPos() throws SQLException {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SELECT @@GLOBAL.gtid_binlog_pos")) {
            rs.next();
            return GtidPosition.parse(rs.getString(1));
        }
    }

    /** This server's own transactions so far: what the other server must have applied before a re-read. */
    public GtidPosition ownPosition() throws SQLException {
        return gtidBinlogPos().onlyDomain(ownDomain);
    }

    /**
     * Waits until this server has applied {@code position} through replication (MASTER_GTID_WAIT).
     *
     * @return whether it did within {@code timeout}
     */
    public boolean awaitApplied(GtidPosition position, Duration timeout) throws SQLException {
        if (position.isEmpty()) {
            return true;
        }
        try (PreparedStatement s = connection.prepareStatement("SELECT MASTER_GTID_WAIT(?, ?)")) {
            s.setString(1, position.toString());
            s.setDouble(2, timeout.toMillis() / 1000.0);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getInt(1) == 0 && !rs.wasNull();
            }
        }
    }

    /** Problems of the replication into this server: empty when every connection's IO and SQL threads run. */
    public List<String> replicationProblems() throws SQLException {
        List<String> problems = new ArrayList<>();
        List<ReplicationLink> links = ReplicationLinks.of(connection);
        for (ReplicationLink link : links) {
            if (!link.ioRunning() || !link.sqlRunning()) {
                String error = (link.lastSqlError() + " " + link.lastIoError()).strip();
                problems.add(serverName() + ": replication IO=" + (link.ioRunning() ? "Yes" : "No") + " SQL="
                        + (link.sqlRunning() ? "Yes" : "No") + (error.isEmpty() ? "" : " (" + error + ")"));
            }
        }
        if (links.isEmpty()) {
            problems.add(serverName() + ": replicates from nothing (no replication connection)");
        }
        return problems;
    }

    /** {@code Threads_running}, for backing off when the server is busy. */
    public long threadsRunning() throws SQLException {
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery("SHOW GLOBAL STATUS LIKE 'Threads_running'")) {
            return rs.next() ? rs.getLong(2) : 0;
        }
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            // Closing a session to a server that went away fails; nothing is left to release.
        }
    }
}
