package dev.mitosis.verifier.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/** Reads the base tables of the schemas in scope and their shapes from one server's information_schema. */
public final class TableCatalog {

    private TableCatalog() {
    }

    /** {@code schema.table} of every base table in {@code schemas}, sorted. */
    public static TreeSet<String> tables(Connection c, List<String> schemas) throws SQLException {
        TreeSet<String> names = new TreeSet<>();
        for (String schema : schemas) {
            try (PreparedStatement s = c.prepareStatement("SELECT TABLE_NAME FROM information_schema.TABLES"
                    + " WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'BASE TABLE'")) {
                s.setString(1, schema);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        names.add(schema + "." + rs.getString(1));
                    }
                }
            }
        }
        return names;
    }

    /** The shape of a table, or empty if it does not exist on this server. */
    public static Optional<TableShape> shape(Connection c, String schema, String table) throws SQLException {
        List<Column> columns = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, COLLATION_NAME, IS_NULLABLE"
                + " FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION")) {
            s.setString(1, schema);
            s.setString(2, table);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    columns.add(new Column(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            "YES".equals(rs.getString(5))));
                }
            }
        }
        if (columns.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Column> byName = new LinkedHashMap<>();
        columns.forEach(col -> byName.put(col.name(), col));
        List<Column> key = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT COLUMN_NAME FROM information_schema.KEY_COLUMN_USAGE"
                + " WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND CONSTRAINT_NAME = 'PRIMARY' ORDER BY ORDINAL_POSITION")) {
            s.setString(1, schema);
            s.setString(2, table);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    key.add(byName.get(rs.getString(1)));
                }
            }
        }
        return Optional.of(new TableShape(schema, table, columns, key));
    }

    /** The server's estimate of a table's rows (information_schema.TABLES.TABLE_ROWS), for progress only. */
    public static long estimatedRows(Connection c, String schema, String table) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT TABLE_ROWS FROM information_schema.TABLES"
                + " WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?")) {
            s.setString(1, schema);
            s.setString(2, table);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }
}
