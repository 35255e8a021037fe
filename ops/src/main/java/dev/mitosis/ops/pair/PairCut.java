package dev.mitosis.ops.pair;

import dev.mitosis.connectors.mariadb.GtidPosition;
import dev.mitosis.connectors.mariadb.ReplicationLinks;
import dev.mitosis.connectors.mariadb.ServerConnector;
import dev.mitosis.connectors.topology.Pair;
import dev.mitosis.ops.cli.OperatorException;
import dev.mitosis.ops.cli.Progress;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;

/**
 * Cuts an old pair after the flip: first each server applies every transaction the other wrote (so nothing written
 * before the cut is missing on either side), then replication stops both ways and is forgotten. Refuses, cutting
 * nothing, if the catch-up does not finish in time.
 */
final class PairCut {

    /** What the cut left: each server's binlog position at the moment its links were removed. */
    record Result(int pair, String a, String a0, String aGtidBinlogPos, String a0GtidBinlogPos, boolean wasLinked) {
    }

    private final Pair pair;
    private final Progress progress;

    PairCut(Pair pair, Progress progress) {
        this.pair = pair;
        this.progress = progress;
    }

    Result run(Duration catchUpTimeout) {
        ServerConnector a = new ServerConnector(pair.a());
        ServerConnector a0 = new ServerConnector(pair.a0());
        try (Connection ca = a.open(); Connection ca0 = a0.open()) {
            boolean linked = !ReplicationLinks.of(ca).isEmpty() || !ReplicationLinks.of(ca0).isEmpty();
            if (linked) {
                awaitApplied(ca0, ca, pair.a0().name(), pair.a().name(), catchUpTimeout);
                awaitApplied(ca, ca0, pair.a().name(), pair.a0().name(), catchUpTimeout);
            }
            ReplicationLinks.stopAndForgetAll(ca);
            ReplicationLinks.stopAndForgetAll(ca0);
            Result result = new Result(pair.number(), pair.a().name(), pair.a0().name(),
                    gtidBinlogPos(ca).toString(), gtidBinlogPos(ca0).toString(), linked);
            progress.say("pair %d cut: %s and %s no longer replicate (%s at %s, %s at %s)", pair.number(),
                    result.a(), result.a0(), result.a(), result.aGtidBinlogPos(), result.a0(), result.a0GtidBinlogPos());
            return result;
        } catch (SQLException e) {
            throw OperatorException.failed("pair " + pair.number() + ": " + e.getMessage());
        }
    }

    /** Waits until {@code replica} applied what {@code source} wrote in its own GTID domain so far. */
    private void awaitApplied(Connection replica, Connection source, String replicaName, String sourceName,
                              Duration timeout) throws SQLException {
        GtidPosition own = gtidBinlogPos(source).onlyDomain(gtidDomainId(source));
        if (own.isEmpty()) {
            return;
        }
        progress.say("waiting for %s to apply %s's writes up to %s", replicaName, sourceName, own);
        try (PreparedStatement ps = replica.prepareStatement("SELECT MASTER_GTID_WAIT(?, ?)")) {
            ps.setString(1, own.toString());
            ps.setDouble(2, timeout.toMillis() / 1000.0);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next() || rs.getInt(1) != 0) {
                    throw OperatorException.failed(replicaName + " did not apply " + sourceName + "'s writes up to "
                            + own + " within " + timeout.toSeconds() + " s; nothing was cut. Check `mitosis pair status`"
                            + " (is replication running?) and retry");
                }
            }
        }
    }

    private static GtidPosition gtidBinlogPos(Connection c) throws SQLException {
        return GtidPosition.parse(single(c, "SELECT @@GLOBAL.gtid_binlog_pos"));
    }

    private static long gtidDomainId(Connection c) throws SQLException {
        return Long.parseLong(single(c, "SELECT @@GLOBAL.gtid_domain_id"));
    }

    private static String single(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getString(1);
        }
    }
}
