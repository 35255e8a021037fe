package dev.mitosis.verifier.internal;

import dev.mitosis.connectors.sql.KeyOrderSql;
import dev.mitosis.connectors.sql.SqlFragment;

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

    /** {@code (k1, k2) op (v1, v2)}, written out as {@link KeyOrderSql} does. */
    static SqlFragment compare(List<Column> keyColumns, KeyBound bound, String op, String lastOp) {
        return KeyOrderSql.compare(keyColumns.stream().map(Column::name).toList(), bound.values(), op, lastOp);
    }

    @Override
    public String toString() {
        return "(" + lower.map(KeyBound::toString).orElse("-inf") + ", " + upper.map(KeyBound::toString).orElse("+inf") + "]";
    }
}
