package dev.mitosis.purger;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Opens sessions to one server; {@code ServerConnector::open} in the command, a test server's {@code connect} in
 * tests. The caller closes each session.
 */
@FunctionalInterface
public interface ServerSessions {

    /** A new session with no default database. */
    Connection open() throws SQLException;
}
