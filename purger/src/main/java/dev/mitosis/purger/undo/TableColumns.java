package dev.mitosis.purger.undo;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The columns of a table as the server declares them now, which decide how each value of an archived row image is
 * bound: the image carries Debezium's encoding (epoch days, epoch micros, base64, ...), the column says which.
 *
 * @param schema     the schema
 * @param table      the table
 * @param columns    the stored (not generated) columns, in table order
 * @param primaryKey the primary-key column names, in key order
 */
public record TableColumns(String schema, String table, List<Column> columns, List<String> primaryKey) {

    /** One column. */
    public record Column(String name, String dataType, String columnType, int datetimePrecision) {

        /** Whether the column is declared UNSIGNED. */
        public boolean unsigned() {
            return columnType.toLowerCase(Locale.ROOT).contains("unsigned");
        }
    }

    public TableColumns {
        columns = List.copyOf(columns);
        primaryKey = List.copyOf(primaryKey);
    }

    /** The column named {@code name}. */
    public Optional<Column> column(String name) {
        return columns.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    /**
     * Reads the table's columns; virtual and stored generated columns are left out, since the server computes them.
     *
     * @throws IllegalArgumentException when the table does not exist or has no primary key
     */
    public static TableColumns of(Connection c, String schema, String table) throws SQLException {
        List<Column> columns = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT COLUMN_NAME, DATA_TYPE, COLUMN_TYPE,"
                + " COALESCE(DATETIME_PRECISION, 0), EXTRA FROM information_schema.COLUMNS"
                + " WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION")) {
            ps.setString(1, schema);
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String extra = rs.getString(5) == null ? "" : rs.getString(5).toUpperCase(Locale.ROOT);
                    if (extra.contains("GENERATED") || extra.contains("VIRTUAL") || extra.contains("PERSISTENT")) {
                        continue;
                    }
                    columns.add(new Column(rs.getString(1), rs.getString(2).toLowerCase(Locale.ROOT),
                            rs.getString(3), rs.getInt(4)));
                }
            }
        }
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("table " + schema + "." + table + " does not exist");
        }
        List<String> pk = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT COLUMN_NAME FROM information_schema.STATISTICS"
                + " WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND INDEX_NAME = 'PRIMARY' ORDER BY SEQ_IN_INDEX")) {
            ps.setString(1, schema);
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    pk.add(rs.getString(1));
                }
            }
        }
        if (pk.isEmpty()) {
            throw new IllegalArgumentException("table " + schema + "." + table + " has no primary key: the undo"
                    + " cannot tell a restored row from one written since");
        }
        return new TableColumns(schema, table, columns, pk);
    }
}
