package dev.mitosis.purger.undo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mitosis.connectors.sql.SqlIdentifiers;
import dev.mitosis.purger.ServerSessions;
import dev.mitosis.purger.archive.StatementTag;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Re-inserts archived row images, a chunk per short transaction, never over a row that exists now: the chunk's keys
 * are looked up (and locked) first, and only absent ones are inserted. A row that collides on another unique key
 * (the application wrote a row with that value since) is a conflict: skipped and reported, never forced. The
 * INSERTs carry the {@code mitosis-undo} tag and go to the binlog, so the shard's HA partner and the stream see them.
 */
final class RowRestorer {

    /** What one chunk did. */
    record ChunkResult(long restored, long existing, List<String> conflicts) {
    }

    private static final int DUPLICATE_KEY = 1062;

    private final ServerSessions sessions;
    private final TableColumns table;
    private final String insert;
    private final String lookup;

    RowRestorer(ServerSessions sessions, TableColumns table, int newShard) {
        this.sessions = sessions;
        this.table = table;
        String qualified = SqlIdentifiers.quote(table.schema(), table.table());
        String columns = table.columns().stream().map(c -> SqlIdentifiers.quote(c.name()))
                .collect(Collectors.joining(", "));
        this.insert = "INSERT " + StatementTag.comment(StatementTag.UNDO, newShard, table.schema() + "." + table.table())
                + " INTO " + qualified + " (" + columns + ") VALUES ("
                + String.join(", ", Collections.nCopies(table.columns().size(), "?")) + ")";
        this.lookup = "SELECT " + table.primaryKey().stream().map(SqlIdentifiers::quote)
                .collect(Collectors.joining(", ")) + " FROM " + qualified + " WHERE "
                + table.primaryKey().stream().map(c -> SqlIdentifiers.quote(c) + " <=> ?")
                .collect(Collectors.joining(" AND ")) + " FOR UPDATE";
    }

    /** Restores {@code images} (distinct primary keys) in one transaction. */
    ChunkResult restore(Collection<ObjectNode> images) throws SQLException {
        try (Connection c = sessions.open()) {
            try (Statement s = c.createStatement()) {
                // Temporal values are bound as UTC wall-clock text (see ImageValues).
                s.execute("SET SESSION time_zone = '+00:00'");
                s.execute("SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED");
            }
            c.setAutoCommit(false);
            try {
                ChunkResult result = restore(c, images);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    private ChunkResult restore(Connection c, Collection<ObjectNode> images) throws SQLException {
        long restored = 0;
        long existing = 0;
        List<String> conflicts = new ArrayList<>();
        Set<ObjectNode> absent = Collections.newSetFromMap(new IdentityHashMap<>());
        try (PreparedStatement ps = c.prepareStatement(lookup)) {
            for (ObjectNode image : images) {
                int i = 1;
                for (String key : table.primaryKey()) {
                    ImageValues.bind(ps, i++, table.column(key).orElseThrow(), image.get(key));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        existing++;
                    } else {
                        absent.add(image);
                    }
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement(insert)) {
            for (ObjectNode image : images) {
                if (!absent.contains(image)) {
                    continue;
                }
                int i = 1;
                for (TableColumns.Column column : table.columns()) {
                    if (!image.has(column.name())) {
                        throw new IllegalArgumentException("the archived image of " + keyOf(image) + " has no column "
                                + column.name() + ": the table changed since the purge; restore by hand");
                    }
                    ImageValues.bind(ps, i++, column, image.get(column.name()));
                }
                try {
                    ps.executeUpdate();
                    restored++;
                } catch (SQLException e) {
                    if (e.getErrorCode() != DUPLICATE_KEY) {
                        throw e;
                    }
                    // InnoDB rolled back this statement only; the chunk goes on.
                    conflicts.add(keyOf(image) + ": " + e.getMessage());
                }
            }
        }
        return new ChunkResult(restored, existing, conflicts);
    }

    /** The primary key of an image as text, e.g. {@code {"id":7}}. */
    String keyOf(ObjectNode image) {
        ObjectNode key = image.objectNode();
        table.primaryKey().forEach(k -> key.set(k, image.get(k)));
        return key.toString();
    }
}
