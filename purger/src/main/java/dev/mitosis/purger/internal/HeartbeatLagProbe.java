package dev.mitosis.purger.internal;

import dev.mitosis.purger.ServerSessions;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.OptionalLong;

/** A replica's lag: the heartbeat last written on the purged server minus the one the replica has applied. */
public final class HeartbeatLagProbe implements LagProbe, AutoCloseable {

    private final String name;
    private final ReusedSession replica;
    private final HeartbeatWriter writer;

    public HeartbeatLagProbe(String name, ServerSessions replica, HeartbeatWriter writer) {
        this.name = name;
        this.replica = new ReusedSession(replica);
        this.writer = writer;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public synchronized OptionalLong lagMs() throws SQLException {
        long written = writer.lastWrittenMs();
        if (written < 0) {
            return OptionalLong.empty();
        }
        try (PreparedStatement ps = replica.get().prepareStatement(
                "SELECT written_at_ms FROM `_mitosis`.`heartbeat` WHERE server_name = ?")) {
            ps.setString(1, writer.serverName());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? OptionalLong.of(Math.max(0, written - rs.getLong(1))) : OptionalLong.empty();
            }
        } catch (SQLException e) {
            // The schema may not have replicated yet: no heartbeat there is "cannot tell", not an error.
            if (e.getErrorCode() == 1146 || e.getErrorCode() == 1049) {
                return OptionalLong.empty();
            }
            close();
            throw e;
        }
    }

    @Override
    public void close() {
        replica.close();
    }
}
