package dev.mitosis.purger.internal;

import dev.mitosis.purger.ServerSessions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;

/**
 * Writes the purged server's heartbeat row ({@code _mitosis.heartbeat}, keyed by server name) with the writer's
 * clock. A replica's lag is then the last value written here minus the value the replica holds: both are times of
 * this one clock, so clock skew between hosts does not enter, and the resolution is the write interval (100 ms),
 * where {@code Seconds_Behind_Master} has whole seconds.
 */
public final class HeartbeatWriter implements AutoCloseable {

    /** How often the row is written. */
    public static final long INTERVAL_MS = 100;

    private static final Logger LOG = LoggerFactory.getLogger(HeartbeatWriter.class);

    private final ReusedSession session;
    private final String serverName;
    private final Clock clock;
    private volatile long lastWrittenMs = -1;
    private volatile long lastSuccessMs = -1;
    private boolean failing;

    public HeartbeatWriter(ServerSessions sessions, String serverName, Clock clock) {
        this.session = new ReusedSession(sessions);
        this.serverName = serverName;
        this.clock = clock;
    }

    /** The server whose heartbeat this is. */
    public String serverName() {
        return serverName;
    }

    /** Writes one beat; failures are logged once per outage and retried at the next beat. */
    public synchronized void beat() {
        long now = clock.millis();
        try {
            try (PreparedStatement ps = session.get().prepareStatement("INSERT INTO `_mitosis`.`heartbeat`"
                    + " (server_name, written_at_ms) VALUES (?, ?)"
                    + " ON DUPLICATE KEY UPDATE written_at_ms = VALUES(written_at_ms)")) {
                ps.setString(1, serverName);
                ps.setLong(2, now);
                ps.executeUpdate();
            }
            lastWrittenMs = now;
            lastSuccessMs = clock.millis();
            if (failing) {
                LOG.info("event=heartbeat_resumed server={}", serverName);
                failing = false;
            }
        } catch (SQLException e) {
            if (!failing) {
                LOG.warn("event=heartbeat_failed server={} error=\"{}\"", serverName, e.getMessage());
                failing = true;
            }
            session.close();
        }
    }

    /** The time value of the last beat that committed, or -1 before the first. */
    public long lastWrittenMs() {
        return lastWrittenMs;
    }

    /** How long ago the last beat committed, in ms; {@code Long.MAX_VALUE} before the first. */
    public long ageMs() {
        long last = lastSuccessMs;
        return last < 0 ? Long.MAX_VALUE : clock.millis() - last;
    }

    @Override
    public void close() {
        session.close();
    }
}
