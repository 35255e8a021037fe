package dev.mitosis.purger.internal;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * How a primary-key value travels between the server, memory and the checkpoint row without losing a bit:
 * integers as {@link BigInteger} (BIGINT UNSIGNED above 2^63 included), decimals as {@link BigDecimal}, binary
 * strings as bytes (hex in the checkpoint), everything else as text the server converts back.
 */
public enum KeyKind {
    INTEGER, DECIMAL, BYTES, TEXT;

    /** The kind of an {@code information_schema.COLUMNS.DATA_TYPE}. */
    public static KeyKind ofDataType(String dataType) {
        return switch (dataType.toLowerCase(Locale.ROOT)) {
            case "tinyint", "smallint", "mediumint", "int", "integer", "bigint" -> INTEGER;
            case "decimal", "numeric" -> DECIMAL;
            case "binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob" -> BYTES;
            default -> TEXT;
        };
    }

    /** Reads column {@code index} of the current row. */
    public Object read(ResultSet rs, int index) throws SQLException {
        return switch (this) {
            case INTEGER -> new BigInteger(rs.getString(index));
            case DECIMAL -> rs.getBigDecimal(index);
            case BYTES -> rs.getBytes(index);
            case TEXT -> rs.getString(index);
        };
    }

    /** Binds a value read by {@link #read} (or decoded by {@link #decode}). */
    public void bind(PreparedStatement ps, int index, Object value) throws SQLException {
        switch (this) {
            case INTEGER -> {
                BigInteger v = (BigInteger) value;
                // A decimal literal above 2^63 compares exactly with a BIGINT UNSIGNED column; a string would not.
                if (v.bitLength() < 64) {
                    ps.setLong(index, v.longValue());
                } else {
                    ps.setBigDecimal(index, new BigDecimal(v));
                }
            }
            case DECIMAL -> ps.setBigDecimal(index, (BigDecimal) value);
            case BYTES -> ps.setBytes(index, (byte[]) value);
            case TEXT -> ps.setString(index, (String) value);
        }
    }

    /** The value as checkpoint text. */
    public String encode(Object value) {
        return switch (this) {
            case INTEGER, DECIMAL, TEXT -> value.toString();
            case BYTES -> HexFormat.of().formatHex((byte[]) value);
        };
    }

    /** A value from checkpoint text. */
    public Object decode(String text) {
        return switch (this) {
            case INTEGER -> new BigInteger(text);
            case DECIMAL -> new BigDecimal(text);
            case BYTES -> HexFormat.of().parseHex(text);
            case TEXT -> text;
        };
    }
}
