package dev.mitosis.verifier.internal;

import dev.mitosis.connectors.sql.SqlIdentifiers;

import java.util.List;

/**
 * A table's columns in ordinal order and its primary key columns in key order.
 *
 * @param schema     the schema name
 * @param table      the table name
 * @param columns    every column, in ordinal order
 * @param keyColumns the primary key, in key order (empty when the table has none)
 */
public record TableShape(String schema, String table, List<Column> columns, List<Column> keyColumns) {

    /** Copies the lists. */
    public TableShape {
        columns = List.copyOf(columns);
        keyColumns = List.copyOf(keyColumns);
    }

    /** {@code schema.table}, unquoted. */
    public String qualifiedName() {
        return schema + "." + table;
    }

    /** {@code `schema`.`table`}. */
    public String quotedName() {
        return SqlIdentifiers.quote(schema, table);
    }

    /** Whether the table has a primary key to chunk on. */
    public boolean hasPrimaryKey() {
        return !keyColumns.isEmpty();
    }

    /** The key columns, quoted and comma-separated, for ORDER BY and SELECT lists. */
    public String quotedKeyList() {
        return String.join(", ", keyColumns.stream().map(c -> SqlIdentifiers.quote(c.name())).toList());
    }

    /** The key columns, quoted, each followed by DESC. */
    public String quotedKeyListDescending() {
        return String.join(", ", keyColumns.stream().map(c -> SqlIdentifiers.quote(c.name()) + " DESC").toList());
    }

    /** Whether both servers describe the same columns with the same types, nullability and key. */
    public boolean sameShape(TableShape other) {
        return columns.equals(other.columns) && keyColumns.equals(other.keyColumns);
    }
}
