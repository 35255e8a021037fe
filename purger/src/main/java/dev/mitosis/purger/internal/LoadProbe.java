package dev.mitosis.purger.internal;

import java.sql.SQLException;

/** The purged server's load, as its {@code Threads_running}. */
@FunctionalInterface
public interface LoadProbe {

    /** Threads_running now. */
    long threadsRunning() throws SQLException;
}
