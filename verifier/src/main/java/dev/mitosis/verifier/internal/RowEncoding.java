package dev.mitosis.verifier.internal;

import dev.mitosis.connectors.sql.SqlIdentifiers;

import java.util.List;

/**
 * The SQL that turns a row into bytes no two different rows share, and those bytes into a 128-bit digest.
 *
 * <p>Columns are joined with ','. Strings and binary values are their stored bytes with a length prefix
 * ({@code 3:abc}), so a value may hold any byte and the encoding still cannot be read two ways across column
 * boundaries ({@code ('ab','c')} and {@code ('a','bc')} differ); numbers and times are text without ',' or 'N'; NULL
 * is 'N', which no value encodes to ('' is {@code 0:}). Strings are compared as bytes, not through the collation,
 * so case, trailing spaces and accents count. The row bytes are hashed with SHA1, which is not linear: unlike
 * CRC32 under XOR, equal changes to two rows do not cancel.
 */
public final class RowEncoding {

    private RowEncoding() {
    }

    /** The text of one column, or SQL NULL for a NULL value. */
    public static String columnText(Column column) {
        String c = SqlIdentifiers.quote(column.name());
        return switch (column.kind()) {
            case EXACT_NUMBER, TEMPORAL -> "CAST(" + c + " AS CHAR)";
            case TEXT, BINARY -> "CONCAT(LENGTH(" + c + "), ':', CAST(" + c + " AS BINARY))";
            case BIT -> "CAST(" + c + " + 0 AS CHAR)";
            case APPROXIMATE_NUMBER -> approximate(column, c);
        };
    }

    /**
     * A FLOAT or DOUBLE to the last bit. MariaDB prints a DOUBLE in the shortest form that reads back to the same
     * bits, but a FLOAT with 6 digits only; widened to DOUBLE first (exactly), a FLOAT prints all its bits too.
     */
    static String approximate(Column column, String c) {
        return column.dataType().equalsIgnoreCase("float") ? "CAST(CAST(" + c + " AS DOUBLE) AS CHAR)" : "CAST(" + c + " AS CHAR)";
    }

    /** The unambiguous text of a whole row: every column, NULL marked, comma-joined. */
    public static String rowText(List<Column> columns) {
        StringBuilder sql = new StringBuilder("CONCAT_WS(','");
        for (Column column : columns) {
            sql.append(", IFNULL(").append(columnText(column)).append(", 'N')");
        }
        return sql.append(")").toString();
    }

    /**
     * The row text of the chunk digest, cheaper to build than {@link #rowText}: a string or binary value is
     * {@code QUOTE}d (its stored bytes between single quotes, with backslash, quote, NUL and Ctrl-Z escaped), so it
     * ends where its closing quote is and cannot be read two ways across column boundaries; a NULL string is the bare
     * word {@code NULL}, which no quoted value equals. Other columns as in {@link #rowText}.
     */
    public static String quotedRowText(List<Column> columns) {
        StringBuilder sql = new StringBuilder("CONCAT_WS(','");
        for (Column column : columns) {
            String c = SqlIdentifiers.quote(column.name());
            sql.append(", ").append(switch (column.kind()) {
                case TEXT -> "QUOTE(CAST(" + c + " AS BINARY))";
                case BINARY -> "QUOTE(" + c + ")";
                default -> "IFNULL(" + columnText(column) + ", 'N')";
            });
        }
        return sql.append(")").toString();
    }

    /** The 40-hex-digit SHA1 of the row text. */
    public static String rowHash(List<Column> columns) {
        return "SHA1(" + rowText(columns) + ")";
    }

    /**
     * COUNT(*) and the digest of the rows matching {@code where}: the BIT_XOR of the first and of the second 64
     * bits of every row hash. The key is among the hashed columns, so rows cannot trade places unseen.
     *
     * <p>The hash is computed once per row and kept in a session variable for the second half: MariaDB updates a
     * row's aggregates in select-list order. A derived table would compute SHA1 twice (merged) or copy every row
     * to a temporary table (materialized); measured on 1M rows, twice the time. Were the order ever different, the
     * halves would pair across neighbouring rows and the servers would disagree on the first row: a mismatch that
     * ends UNKNOWN, never a PASS.
     */
    public static String chunkChecksumSql(TableShape shape, String where) {
        return "SELECT COUNT(*),"
                + " IFNULL(BIT_XOR(CAST(CONV(SUBSTRING(@mitosis_row_hash := " + rowHash(shape.columns())
                + ", 1, 16), 16, 10) AS UNSIGNED)), 0),"
                + " IFNULL(BIT_XOR(CAST(CONV(SUBSTRING(@mitosis_row_hash, 17, 16), 16, 10) AS UNSIGNED)), 0)"
                + " FROM " + shape.quotedName() + " WHERE " + where;
    }

    /**
     * COUNT(*) and the MD5 of the {@link #quotedRowText} of every row matching {@code where}, one row a line, in the
     * order the server reads them (key order for a range of the primary key). One hash per chunk instead of one per
     * row plus two hex conversions: measured on 1M rows, a third of the per-row digest's time. Equal digests mean
     * the same rows in the same order; should the two servers ever read in different orders, the digests differ
     * and the per-row digest decides, so the order costs time at worst, never a false PASS. Needs a
     * {@code group_concat_max_len} above the chunk's bytes: a cut result raises a warning, and is not used.
     */
    public static String chunkOrderedDigestSql(TableShape shape, String where) {
        return "SELECT COUNT(*), MD5(GROUP_CONCAT(" + quotedRowText(shape.columns()) + " SEPARATOR '\\n'))"
                + " FROM " + shape.quotedName() + " WHERE " + where;
    }

    /** The same digest through a derived table (the hash computed per half): kept to measure against. */
    public static String chunkChecksumSqlDerived(TableShape shape, String where) {
        return "SELECT COUNT(*), IFNULL(BIT_XOR(CAST(CONV(SUBSTRING(h, 1, 16), 16, 10) AS UNSIGNED)), 0),"
                + " IFNULL(BIT_XOR(CAST(CONV(SUBSTRING(h, 17, 16), 16, 10) AS UNSIGNED)), 0)"
                + " FROM (SELECT " + rowHash(shape.columns()) + " AS h FROM " + shape.quotedName()
                + " WHERE " + where + ") AS rows_of_chunk";
    }
}
