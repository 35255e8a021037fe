package dev.mitosis.verifier.internal;

import dev.mitosis.connectors.sql.SqlIdentifiers;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Statements an operator may review and run to make one side like the other. The verifier never runs them.
 * Values are literals of the exact bytes (X'..' for strings), for a session set up as
 * {@link dev.mitosis.verifier.RowDifference#REPAIR_SESSION} says.
 */
public final class RepairSql {

    private RepairSql() {
    }

    /** {@code REPLACE INTO t (...) VALUES (...)} with every column of {@code source}. */
    public static String replace(TableShape shape, RowValues source) {
        String columns = shape.columns().stream().map(c -> SqlIdentifiers.quote(c.name())).collect(Collectors.joining(", "));
        String values = shape.columns().stream().map(c -> source.literals().get(c.name())).collect(Collectors.joining(", "));
        return "REPLACE INTO " + shape.quotedName() + " (" + columns + ") VALUES (" + values + ")";
    }

    /** {@code DELETE FROM t WHERE key}, the key matched byte for byte. */
    public static String delete(TableShape shape, RowValues row) {
        return "DELETE FROM " + shape.quotedName() + " WHERE " + keyCondition(shape, row);
    }

    /** {@code UPDATE t SET c = v, ... WHERE key} with {@code source}'s values of {@code columns}. */
    public static String update(TableShape shape, List<String> columns, RowValues source, RowValues target) {
        String set = columns.stream().map(c -> SqlIdentifiers.quote(c) + " = " + source.literals().get(c))
                .collect(Collectors.joining(", "));
        return "UPDATE " + shape.quotedName() + " SET " + set + " WHERE " + keyCondition(shape, target);
    }

    /**
     * The key, matched byte for byte: a text column compares a literal under its collation ('d' = 'D'), so text
     * keys also compare as BINARY; the plain equality beside it keeps the index seek.
     */
    private static String keyCondition(TableShape shape, RowValues row) {
        return shape.keyColumns().stream().map(k -> {
            String column = SqlIdentifiers.quote(k.name());
            String value = row.literals().get(k.name());
            return k.kind() == Column.Kind.TEXT
                    ? column + " = " + value + " AND BINARY " + column + " = " + value
                    : column + " = " + value;
        }).collect(Collectors.joining(" AND "));
    }
}
