package dev.mitosis.verifier.internal;

import dev.mitosis.connectors.sql.SqlFragment;
import dev.mitosis.connectors.sql.SqlIdentifiers;

import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-row hashes of a key range on one server, keyed by the exact encoding of the primary key (so two keys the
 * collation calls equal but whose bytes differ stay apart).
 */
public final class RowHashes {

    /**
     * One row as listed.
     *
     * @param keyText  the exact encoding of the key (identity), its bytes one char each (ISO-8859-1)
     * @param hash     the row hash
     * @param key      the key values, for seeking the row
     * @param keyShown the key as an operator reads it, column to value
     */
    public record Entry(String keyText, String hash, KeyBound key, Map<String, String> keyShown) {
    }

    private RowHashes() {
    }

    /** The SQL expression an operator reads for a value: text as such, binary as hex, numbers and times as text. */
    static String shown(Column column) {
        String c = SqlIdentifiers.quote(column.name());
        return switch (column.kind()) {
            case TEXT -> "CAST(" + c + " AS CHAR CHARACTER SET utf8mb4)";
            case BINARY -> "CONCAT('0x', HEX(" + c + "))";
            case BIT -> "CAST(" + c + " + 0 AS CHAR)";
            case APPROXIMATE_NUMBER -> "CAST(CAST(" + c + " AS DOUBLE) AS CHAR)";
            default -> "CAST(" + c + " AS CHAR)";
        };
    }

    /**
     * Lists at most {@code cap} rows of {@code range}, in key order.
     *
     * @return the rows by key text, in key order; more than {@code cap} rows means the listing was cut short
     */
    public static LinkedHashMap<String, Entry> list(ServerSession session, TableShape shape, KeyRange range, int cap)
            throws SQLException {
        return list(session, shape, range.predicate(shape.keyColumns()), cap);
    }

    /** Lists at most {@code cap} rows matching {@code where}, in key order. */
    public static LinkedHashMap<String, Entry> list(ServerSession session, TableShape shape, SqlFragment where, int cap)
            throws SQLException {
        StringBuilder select = new StringBuilder("SELECT ").append(shape.quotedKeyList())
                .append(", ").append(RowEncoding.rowText(shape.keyColumns()))
                .append(", ").append(RowEncoding.rowHash(shape.columns()));
        for (Column k : shape.keyColumns()) {
            select.append(", ").append(shown(k));
        }
        select.append(" FROM ").append(shape.quotedName()).append(" WHERE ").append(where.sql())
                .append(" ORDER BY ").append(shape.quotedKeyList()).append(" LIMIT ?");
        LinkedHashMap<String, Entry> rows = new LinkedHashMap<>();
        int n = shape.keyColumns().size();
        try (PreparedStatement s = session.connection().prepareStatement(select.toString())) {
            int next = where.bind(s, 1);
            s.setInt(next, cap + 1);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    KeyBound key = KeyBound.read(rs, 1, shape.keyColumns());
                    Map<String, String> keyShown = new LinkedHashMap<>();
                    for (int i = 0; i < n; i++) {
                        keyShown.put(shape.keyColumns().get(i).name(), rs.getString(n + 3 + i));
                    }
                    // The key text holds a binary or non-UTF-8 key's raw bytes: read as text they would be mangled
                    // (two keys could read the same, and bound back, match no row), so each byte is one char.
                    String keyText = new String(rs.getBytes(n + 1), StandardCharsets.ISO_8859_1);
                    rows.put(keyText, new Entry(keyText, rs.getString(n + 2), key, keyShown));
                }
            }
        }
        return rows;
    }

    /** The current hash of one row by its exact key, or null when the row is gone. */
    public static String hashOf(ServerSession session, TableShape shape, Entry row) throws SQLException {
        SqlFragment where = exactKey(shape, row);
        try (PreparedStatement s = session.connection().prepareStatement("SELECT " + RowEncoding.rowHash(shape.columns())
                + " FROM " + shape.quotedName() + " WHERE " + where.sql())) {
            where.bind(s, 1);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /**
     * The row with exactly this key: equality on each key column (an index seek), then the byte-exact encoding,
     * which the collation's equality alone would not give.
     */
    public static SqlFragment exactKey(TableShape shape, Entry row) {
        List<Object> params = new ArrayList<>();
        StringBuilder sql = new StringBuilder();
        for (int i = 0; i < shape.keyColumns().size(); i++) {
            sql.append(SqlIdentifiers.quote(shape.keyColumns().get(i).name())).append(" = ? AND ");
            params.add(row.key().values().get(i));
        }
        sql.append(RowEncoding.rowText(shape.keyColumns())).append(" = ?");
        params.add(row.keyText().getBytes(StandardCharsets.ISO_8859_1));
        return new SqlFragment(sql.toString(), params);
    }
}
