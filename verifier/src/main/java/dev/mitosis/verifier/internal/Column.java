package dev.mitosis.verifier.internal;

import java.util.Locale;
import java.util.Set;

/**
 * A column as information_schema describes it, with the class of encoding its bytes need.
 *
 * @param name     the column name
 * @param dataType {@code DATA_TYPE}, lower case (e.g. {@code varchar}, {@code double})
 * @param fullType {@code COLUMN_TYPE} (e.g. {@code decimal(20,6)}), compared between the servers
 * @param collation {@code COLLATION_NAME}, or null for a non-text column: it orders keys, so it must match too
 * @param nullable  {@code IS_NULLABLE}: part of the schema compared between the servers
 */
public record Column(String name, String dataType, String fullType, String collation, boolean nullable) {

    /** A nullable column without collation (numbers, times, binary strings). */
    public Column(String name, String dataType, String fullType) {
        this(name, dataType, fullType, null, true);
    }

    /** A nullable column. */
    public Column(String name, String dataType, String fullType, String collation) {
        this(name, dataType, fullType, collation, true);
    }

    /** How a column's value is digested and shown, and how a key value is read and bound. */
    public enum Kind {
        /** Integers, DECIMAL, YEAR: exact numbers. */
        EXACT_NUMBER,
        /** FLOAT and DOUBLE: every bit counts, so a FLOAT is widened to DOUBLE. */
        APPROXIMATE_NUMBER,
        /** Dates and times, at full fractional precision (time_zone pinned to +00:00). */
        TEMPORAL,
        /** Character strings, ENUM, SET, JSON: their stored bytes, not the collation's view. */
        TEXT,
        /** Binary strings, BLOBs, geometry and any type not named here: their bytes. */
        BINARY,
        /** BIT(n): its unsigned value. */
        BIT
    }

    private static final Set<String> EXACT = Set.of("tinyint", "smallint", "mediumint", "int", "bigint", "decimal",
            "year");
    private static final Set<String> APPROXIMATE = Set.of("float", "double");
    private static final Set<String> TEMPORAL_TYPES = Set.of("date", "datetime", "timestamp", "time");
    private static final Set<String> TEXT_TYPES = Set.of("char", "varchar", "tinytext", "text", "mediumtext",
            "longtext", "enum", "set", "json");

    /** The encoding class of this column's type; anything unrecognised is compared as bytes. */
    public Kind kind() {
        String type = dataType.toLowerCase(Locale.ROOT);
        if (EXACT.contains(type)) {
            return Kind.EXACT_NUMBER;
        }
        if (APPROXIMATE.contains(type)) {
            return Kind.APPROXIMATE_NUMBER;
        }
        if (TEMPORAL_TYPES.contains(type)) {
            return Kind.TEMPORAL;
        }
        if (TEXT_TYPES.contains(type)) {
            return Kind.TEXT;
        }
        if (type.equals("bit")) {
            return Kind.BIT;
        }
        return Kind.BINARY;
    }
}
