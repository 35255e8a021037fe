package dev.mitosis.purger.internal;

import dev.mitosis.connectors.capture.CaptureStatus;
import dev.mitosis.connectors.mariadb.GtidPosition;
import dev.mitosis.connectors.time.Sleeper;
import dev.mitosis.purger.ArchiveCheck;
import dev.mitosis.purger.CaptureStatusSource;
import dev.mitosis.purger.ServerSessions;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * The end of a run: reads the purged server's {@code gtid_binlog_pos} (after the last delete committed, so it
 * includes it) and waits, bounded, until capture's status covers it: only then is every deleted row's before-image
 * in the change stream.
 */
public final class ArchiveWaiter {

    static final Duration POLL = Duration.ofMillis(200);

    private final String server;
    private final ServerSessions sessions;
    private final CaptureStatusSource capture;
    private final Clock clock;
    private final Sleeper sleeper;

    public ArchiveWaiter(String server, ServerSessions sessions, CaptureStatusSource capture, Clock clock,
                         Sleeper sleeper) {
        this.server = server;
        this.sessions = sessions;
        this.capture = capture;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    /** The server's binlog position now. */
    public static GtidPosition binlogPosition(ServerSessions sessions) throws SQLException {
        try (Connection c = sessions.open(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT @@GLOBAL.gtid_binlog_pos")) {
            rs.next();
            return GtidPosition.parse(rs.getString(1));
        }
    }

    /** Waits at most {@code wait} for capture to cover the server's position now; never throws. */
    public ArchiveCheck await(Duration wait) {
        GtidPosition position;
        try {
            position = binlogPosition(sessions);
        } catch (SQLException e) {
            return ArchiveCheck.notArchived("", "cannot read the GTID position of " + server + ": " + e.getMessage());
        }
        long deadline = clock.millis() + wait.toMillis();
        String seen = "no capture status read";
        while (true) {
            try {
                Optional<CaptureStatus> status = capture.latest();
                if (status.isPresent() && status.get().covers(position)) {
                    return new ArchiveCheck(true, position.toString(), "capture of " + server + " processed "
                            + status.get().processedGtid() + " (reported " + status.get().publishedAt() + ")");
                }
                seen = status.map(s -> "capture of " + server + " processed only " + s.processedGtid() + " ("
                        + s.state() + ", reported " + s.publishedAt() + ")")
                        .orElse("capture of " + server + " has published no status");
            } catch (RuntimeException e) {
                seen = "cannot read capture's status: " + e.getMessage();
            }
            if (clock.millis() >= deadline || Thread.currentThread().isInterrupted()) {
                return ArchiveCheck.notArchived(position.toString(), seen + " after waiting " + wait.toMillis()
                        + " ms for " + position);
            }
            try {
                sleeper.sleep(POLL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
