package dev.mitosis.connectors.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/**
 * A primary key compared with a key value in key order, for composite keys too, written out as
 * {@code (c1 op ?) OR (c1 = ? AND c2 op ?) OR ... OR (c1 = ? AND ... AND cn lastOp ?)}: the optimizer turns this form
 * into an index range on every MariaDB version, which is not sure for row constructors ({@code (c1, c2) > (?, ?)}).
 * With {@code op} and {@code lastOp} both {@code >} it is "strictly after"; {@code <} and {@code <=} is "at or before".
 */
public final class KeyOrderSql {

    private KeyOrderSql() {
    }

    /** The comparison's text over the (unquoted) key columns, with one {@code ?} per value it binds. */
    public static String compare(List<String> columns, String op, String lastOp) {
        StringJoiner or = new StringJoiner(" OR ");
        for (int last = 0; last < columns.size(); last++) {
            StringBuilder term = new StringBuilder("(");
            for (int i = 0; i < last; i++) {
                term.append(SqlIdentifiers.quote(columns.get(i))).append(" = ? AND ");
            }
            term.append(SqlIdentifiers.quote(columns.get(last))).append(' ')
                    .append(last == columns.size() - 1 ? lastOp : op).append(" ?)");
            or.add(term.toString());
        }
        return or.toString();
    }

    /** Which of the key's values each placeholder of {@link #compare(List, String, String)} takes, in order. */
    public static List<Integer> valueIndexes(int columns) {
        List<Integer> indexes = new ArrayList<>();
        for (int last = 0; last < columns; last++) {
            for (int i = 0; i <= last; i++) {
                indexes.add(i);
            }
        }
        return indexes;
    }

    /** The comparison with its values, one per key column, bound as they are. */
    public static SqlFragment compare(List<String> columns, List<?> values, String op, String lastOp) {
        List<Object> params = new ArrayList<>();
        valueIndexes(columns.size()).forEach(i -> params.add(values.get(i)));
        return new SqlFragment(compare(columns, op, lastOp), params);
    }
}
