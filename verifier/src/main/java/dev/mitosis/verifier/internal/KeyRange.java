package dev.mitosis.verifier.internal;

import dev.mitosis.connectors.sql.SqlFragment;
import dev.mitosis.connectors.sql.SqlIdentifiers;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A half-open interval of primary keys, {@code (lower, upper]}; an absent bound is open (below every key, above
 * every key), so the first and last chunks also cover rows beyond the other server's keys.
 *
 * @param lower exclusive lower bound, or empty for no lower bound
 * @param upper inclusive upper bound, or empty for no upper bound
 */
public record KeyRange(Optional<KeyBound> lower, Optional<KeyBound> upper) {

    /** Every key. */
    public static KeyRange all() {
        return new KeyRange(Optional.empty(), Optional.empty());
    }

    /** The WHERE condition of this range over the given key columns (row-wise comparison, spelled out). */
    public SqlFragment predicate(List<Column> keyColumns) {
        SqlFragment where = SqlFragment.of("1 = 1");
        if (lower.isPresent()) {
            where = where.and(compare(keyColumns, lower.get(), ">", ">"));
        }
        if (upper.isPresent()) {
            where = where.and(compare(keyColumns, upper.get(), "<", "<="));
        }
        return where;
    }

    /**
     * {@code (k1, k2) op (v1, v2)} as {@code k1 op v1 OR (k1 = v1 AND k2 lastOp v2)}: the optimizer turns this form
     * into an index range on every MariaDB version, which is not sure for row constructors.
     */
    static SqlFragment compare(List<Column> keyColumns, KeyBound bound, String op, String lastOp) {
        StringBuilder sql = new StringBuilder();
        List<Object> params = new ArrayList<>();
        for (int i = 0; i < keyColumns.size(); i++) {
            if (i > 0) {
                sql.append(" OR ");
            }
            sql.append("(");
            for (int j = 0; j < i; j++) {
                sql.append(SqlIdentifiers.quote(keyColumns.get(j).name())).append(" = ? AND ");
                params.add(bound.values().get(j));
            }
            boolean last = i == keyColumns.size() - 1;
            sql.append(SqlIdentifiers.quote(keyColumns.get(i).name())).append(' ').append(last ? lastOp : op).append(" ?)");
            params.add(bound.values().get(i));
        }
        return new SqlFragment(sql.toString(), params);
    }

    @Override
    public String toString() {
        return "(" + lower.map(KeyBound::toString).orElse("-inf") + ", " + upper.map(KeyBound::toString).orElse("+inf") + "]";
    }
}
