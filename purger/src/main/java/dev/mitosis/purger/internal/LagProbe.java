package dev.mitosis.purger.internal;

import java.sql.SQLException;
import java.util.OptionalLong;

/** Measures how far one server replicating from the purged one is behind it. */
public interface LagProbe {

    /** The replica's name, for the throttle's reason. */
    String name();

    /**
     * The replica's lag in ms, or empty when it cannot be told (no heartbeat seen there yet).
     *
     * @throws SQLException when the replica cannot be asked
     */
    OptionalLong lagMs() throws SQLException;
}
