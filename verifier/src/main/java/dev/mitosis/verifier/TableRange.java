package dev.mitosis.verifier;

import dev.mitosis.connectors.work.KeySpan;

import java.util.Objects;

/**
 * One key range of a table to verify on its own, so processes can share one big table: range {@code index} of the
 * table's {@code parts} ({@link dev.mitosis.connectors.work.KeySplit}). Its report is named {@link #name()}, the
 * table with the range's suffix ({@code app.users#1/4}), as its work unit is; a table in one part is named as the
 * table, and is the whole key space.
 *
 * @param table {@code schema.table}
 * @param index 0-based
 * @param parts how many ranges the table was cut into
 * @param span  the range's keys
 */
public record TableRange(String table, int index, int parts, KeySpan span) {

    /** Checks the index. */
    public TableRange {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(span, "span");
        if (index < 0 || index >= parts) {
            throw new IllegalArgumentException("range " + index + " of " + table + " is not among its " + parts);
        }
    }

    /** The whole table, one part. */
    public static TableRange whole(String table) {
        return new TableRange(table, 0, 1, KeySpan.ALL);
    }

    /** The name of range {@code index} of {@code parts} of {@code table}: what its report and unit are named. */
    public static String name(String table, int index, int parts) {
        return parts == 1 ? table : table + "#" + index + "/" + parts;
    }

    /** The table a report name ({@link #name()}) is of. */
    public static String tableOf(String name) {
        int hash = name.indexOf('#');
        return hash < 0 ? name : name.substring(0, hash);
    }

    public String name() {
        return name(table, index, parts);
    }
}
