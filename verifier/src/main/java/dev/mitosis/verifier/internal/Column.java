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
 * @param nullable  {@code IS_NULLABLE}: only a nullable column needs a NULL mark in the digest, so it must match too
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

    /** How a column's value is turned into comparable text, and how a key value is read and bound. */
    public enum Kind {
        /** Exact text by CAST AS CHAR: integers, DECIMAL, YEAR. */
        EXACT_NUMBER,
        /** FLOAT and DOUBLE: their text drops low bits, so the mantissa bits are encoded. */
        APPROXIMATE_NUMBER,
        /** Dates and times: text at full fractional precision (time_zone pinned to +00:00). */
        TEMPORAL,
        /** Character strings, ENUM, SET, JSON: HEX of the stored bytes, not the collation's view. */
        TEXT,
        /** Binary strings, BLOBs, geometry: HEX of the bytes. */
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
