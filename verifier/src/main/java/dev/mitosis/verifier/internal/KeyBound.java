package dev.mitosis.verifier.internal;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The primary key values of one row, used as a chunk boundary: numbers as BigDecimal (bound as numbers so the
 * server seeks the index), binary strings as bytes, everything else as the server's text.
 */
public record KeyBound(List<Object> values) {

    /** Copies the values. */
    public KeyBound {
        values = List.copyOf(values);
    }

    /** Reads the key columns from the current row, starting at column {@code first}. */
    public static KeyBound read(ResultSet rs, int first, List<Column> keyColumns) throws SQLException {
        List<Object> values = new ArrayList<>();
        for (int i = 0; i < keyColumns.size(); i++) {
            int index = first + i;
            values.add(switch (keyColumns.get(i).kind()) {
                case EXACT_NUMBER, APPROXIMATE_NUMBER, BIT -> rs.getBigDecimal(index);
                case BINARY -> rs.getBytes(index);
                default -> rs.getString(index);
            });
        }
        return new KeyBound(values);
    }

    /** A form that survives JSON: numbers and text as text, bytes as {@code b64:...}. */
    public List<String> toStrings() {
        return values.stream().map(v -> v instanceof byte[] b ? "b64:" + Base64.getEncoder().encodeToString(b)
                : v instanceof BigDecimal d ? d.toPlainString() : v.toString()).toList();
    }

    /** The inverse of {@link #toStrings()}. */
    public static KeyBound fromStrings(List<String> texts, List<Column> keyColumns) {
        List<Object> values = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            String text = texts.get(i);
            values.add(switch (keyColumns.get(i).kind()) {
                case EXACT_NUMBER, APPROXIMATE_NUMBER, BIT -> new BigDecimal(text);
                case BINARY -> Base64.getDecoder().decode(text.substring("b64:".length()));
                default -> text;
            });
        }
        return new KeyBound(values);
    }

    @Override
    public String toString() {
        return "(" + String.join(", ", toStrings()) + ")";
    }
}
