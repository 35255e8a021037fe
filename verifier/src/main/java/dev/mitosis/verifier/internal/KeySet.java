package dev.mitosis.verifier.internal;

import dev.mitosis.connectors.sql.SqlFragment;
import dev.mitosis.connectors.sql.SqlIdentifiers;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.mitosis.connectors.events.IntegerValue;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A set of primary keys named by the change stream, as SQL: {@code IN} picks exactly those rows, {@code NOT IN} every
 * other row, so the two together cover a range once. Numbers are bound as DECIMAL (exact for any BIGINT), text as
 * text.
 *
 * @param keys the keys, each in key-column order
 */
public record KeySet(List<List<String>> keys) {

    /** Copies the keys. */
    public KeySet {
        keys = List.copyOf(keys);
    }

    public static KeySet of(Set<List<String>> keys) {
        return new KeySet(new ArrayList<>(keys));
    }

    public int size() {
        return keys.size();
    }

    public boolean isEmpty() {
        return keys.isEmpty();
    }

    /** Whether the stream's text of these key columns can be bound as exact key values (numbers and text only). */
    public static boolean supports(TableShape shape) {
        return shape.keyColumns().stream().allMatch(c -> c.kind() == Column.Kind.EXACT_NUMBER
                || c.kind() == Column.Kind.TEXT);
    }

    /** The rows with one of these keys. */
    public SqlFragment in(List<Column> keyColumns) {
        if (keys.isEmpty()) {
            return SqlFragment.of("1 = 0");
        }
        List<Object> params = new ArrayList<>();
        StringBuilder sql = new StringBuilder();
        if (keyColumns.size() == 1) {
            sql.append(SqlIdentifiers.quote(keyColumns.get(0).name())).append(" IN (");
            for (int i = 0; i < keys.size(); i++) {
                sql.append(i == 0 ? "?" : ", ?");
                params.add(value(keyColumns.get(0), keys.get(i).get(0)));
            }
            return new SqlFragment(sql.append(")").toString(), params);
        }
        for (int i = 0; i < keys.size(); i++) {
            sql.append(i == 0 ? "(" : " OR (");
            for (int j = 0; j < keyColumns.size(); j++) {
                sql.append(j == 0 ? "" : " AND ").append(SqlIdentifiers.quote(keyColumns.get(j).name())).append(" = ?");
                params.add(value(keyColumns.get(j), keys.get(i).get(j)));
            }
            sql.append(")");
        }
        return new SqlFragment(sql.toString(), params);
    }

    /** Every row but those with one of these keys (key columns are NOT NULL, so NOT is exact). */
    public SqlFragment notIn(List<Column> keyColumns) {
        SqlFragment in = in(keyColumns);
        return new SqlFragment("NOT (" + in.sql() + ")", in.params());
    }

    /**
     * A key value as text: printed by the server, or taken from the change stream, where a BIGINT UNSIGNED comes as
     * base64 of its bytes ({@link IntegerValue}).
     */
    private static Object value(Column column, String text) {
        if (column.kind() != Column.Kind.EXACT_NUMBER) {
            return text;
        }
        try {
            return new BigDecimal(text);
        } catch (NumberFormatException notDecimal) {
            return new BigDecimal(IntegerValue.of(TextNode.valueOf(text)));
        }
    }
}
