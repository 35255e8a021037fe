package dev.mitosis.purger;

import java.util.Objects;

/**
 * A server replicating from the purged one (its new HA partner): the throttle watches its lag.
 *
 * @param name     for the throttle's reason
 * @param sessions sessions to it
 */
public record ReplicaEndpoint(String name, ServerSessions sessions) {

    /** Checks all parts are present. */
    public ReplicaEndpoint {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(sessions, "sessions");
    }
}
