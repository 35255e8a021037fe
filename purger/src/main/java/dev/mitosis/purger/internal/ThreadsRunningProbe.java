package dev.mitosis.purger.internal;

import dev.mitosis.purger.ServerSessions;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** The purged server's {@code Threads_running}: how busy foreground traffic keeps it (gh-ost's max-load). */
public final class ThreadsRunningProbe implements LoadProbe, AutoCloseable {

    private final ReusedSession session;

    public ThreadsRunningProbe(ServerSessions sessions) {
        this.session = new ReusedSession(sessions);
    }

    /** Threads_running now. */
    @Override
    public synchronized long threadsRunning() throws SQLException {
        try (Statement s = session.get().createStatement();
             ResultSet rs = s.executeQuery("SHOW GLOBAL STATUS LIKE 'Threads_running'")) {
            return rs.next() ? rs.getLong(2) : 0;
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
