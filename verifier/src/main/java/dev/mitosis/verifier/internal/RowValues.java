package dev.mitosis.verifier.internal;

import dev.mitosis.connectors.sql.SqlFragment;
import dev.mitosis.connectors.sql.SqlIdentifiers;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One whole row on one server: per column the exact encoding (what is compared), an SQL literal of the value
 * (for repair statements) and the value as an operator reads it.
 *
 * @param exact    column to its exact encoding, as hex of its bytes (that of 'N' for NULL)
 * @param literals column to SQL literal
 * @param shown    column to readable value (null for NULL)
 */
public record RowValues(Map<String, String> exact, Map<String, String> literals, Map<String, String> shown) {

    /** Reads the row with exactly {@code row}'s key, or null when it is not there. */
    public static RowValues read(ServerSession session, TableShape shape, RowHashes.Entry row) throws SQLException {
        SqlFragment where = RowHashes.exactKey(shape, row);
        StringBuilder select = new StringBuilder("SELECT ");
        for (int i = 0; i < shape.columns().size(); i++) {
            Column c = shape.columns().get(i);
            select.append(i == 0 ? "" : ", ").append("IFNULL(").append(RowEncoding.columnText(c)).append(", 'N'), ")
                    .append(literalSource(c)).append(", ").append(RowHashes.shown(c));
        }
        select.append(" FROM ").append(shape.quotedName()).append(" WHERE ").append(where.sql());
        try (PreparedStatement s = session.connection().prepareStatement(select.toString())) {
            where.bind(s, 1);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                Map<String, String> exact = new LinkedHashMap<>();
                Map<String, String> literals = new LinkedHashMap<>();
                Map<String, String> shown = new LinkedHashMap<>();
                for (int i = 0; i < shape.columns().size(); i++) {
                    Column c = shape.columns().get(i);
                    // Bytes, not a decoded string: two invalid byte sequences could decode alike.
                    exact.put(c.name(), HexFormat.of().formatHex(rs.getBytes(3 * i + 1)));
                    literals.put(c.name(), literal(c, rs, 3 * i + 2));
                    shown.put(c.name(), rs.getString(3 * i + 3));
                }
                return new RowValues(exact, literals, shown);
            }
        }
    }

    /** What to select to build a literal: bytes as hex for strings, the value itself for the rest. */
    private static String literalSource(Column c) {
        String q = SqlIdentifiers.quote(c.name());
        return switch (c.kind()) {
            case TEXT, BINARY -> "HEX(" + q + ")";
            case BIT -> "CAST(" + q + " + 0 AS CHAR)";
            // A FLOAT prints 6 digits; as DOUBLE (exact) it prints enough to round-trip.
            case APPROXIMATE_NUMBER -> "CAST(" + q + " AS DOUBLE)";
            default -> "CAST(" + q + " AS CHAR)";
        };
    }

    /**
     * An SQL literal for the value: X'..' for strings (assigning binary bytes to a text column copies them
     * unchanged), Java's shortest round-trip text for FLOAT/DOUBLE, quoted text for times, plain text for numbers.
     */
    private static String literal(Column c, ResultSet rs, int index) throws SQLException {
        if (c.kind() == Column.Kind.APPROXIMATE_NUMBER) {
            double d = rs.getDouble(index);
            return rs.wasNull() ? "NULL" : Double.toString(d);
        }
        String v = rs.getString(index);
        if (v == null) {
            return "NULL";
        }
        return switch (c.kind()) {
            case TEXT, BINARY -> "X'" + v + "'";
            case TEMPORAL -> "'" + v + "'";
            default -> v;
        };
    }
}
