package dev.mitosis.capture.internal;

import dev.mitosis.connectors.mariadb.ServerConnector;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Which binlog files a server still has ({@code SHOW BINARY LOGS}), to tell whether a stored position is in them. */
final class BinlogAvailability {

    private BinlogAvailability() {
    }

    static List<String> files(ServerConnector connector) throws SQLException {
        List<String> files = new ArrayList<>();
        try (Connection c = connector.open(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SHOW BINARY LOGS")) {
            while (rs.next()) {
                files.add(rs.getString(1));
            }
        }
        return files;
    }

    /**
     * Why {@code stored} is not readable from {@code available}, or empty if it is. Binlog file names share a base
     * and a zero-padded sequence, so they order as strings.
     */
    static Optional<String> gap(String stored, List<String> available) {
        if (stored == null || stored.isEmpty()) {
            return Optional.empty();
        }
        if (available.isEmpty()) {
            return Optional.of("stored file " + stored + ", the server lists no binlogs");
        }
        String oldest = available.get(0);
        if (stored.compareTo(oldest) < 0) {
            return Optional.of("stored file " + stored + ", oldest binlog on the server " + oldest);
        }
        return Optional.empty();
    }
}
