package dev.mitosis.purger.internal;

import dev.mitosis.purger.ServerSessions;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * One session kept open across the samples of a probe or the beats of a writer, so a 100 ms loop does not connect
 * each time: opened on first use, closed after a failure so the next use connects again.
 */
final class ReusedSession implements AutoCloseable {

    private final ServerSessions sessions;
    private Connection connection;

    ReusedSession(ServerSessions sessions) {
        this.sessions = sessions;
    }

    /** The open session, connecting first if there is none. */
    synchronized Connection get() throws SQLException {
        if (connection == null || connection.isClosed()) {
            connection = sessions.open();
        }
        return connection;
    }

    /** Drops the session (quietly: after a failure it is usually broken already). */
    @Override
    public synchronized void close() {
        try {
            if (connection != null) {
                connection.close();
            }
        } catch (SQLException ignored) {
            // already broken
        }
        connection = null;
    }
}
