package dev.mitosis.purger.undo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mitosis.connectors.events.IntegerValue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Locale;
import java.util.Set;

/**
 * Binds a value of an archived row image to an INSERT parameter, faithfully for the column's type. The image holds
 * Debezium's JSON encoding (MariaDB connector, {@code decimal.handling.mode=string},
 * {@code bigint.unsigned.handling.mode=precise}, the default adaptive time precision): DECIMAL as text, BIGINT
 * UNSIGNED as an integer or base64 of its two's-complement bytes, DATE as epoch days, DATETIME(0..3) as epoch
 * milliseconds and DATETIME(4..6) as epoch microseconds (the wall-clock value read as UTC), TIMESTAMP as ISO-8601 in
 * UTC, TIME as microseconds, BINARY/BLOB as base64, BIT(1) as a boolean and BIT(n) as base64 little-endian bytes.
 * Temporal values are bound as text in the session's time zone, which the restorer sets to UTC, so no JDBC time-zone
 * conversion touches them.
 */
final class ImageValues {

    private static final Set<String> INTEGERS = Set.of("tinyint", "smallint", "mediumint", "int", "integer", "bigint");
    private static final Set<String> TEXTS = Set.of("char", "varchar", "tinytext", "text", "mediumtext", "longtext",
            "enum", "set", "json", "uuid", "inet4", "inet6");
    private static final Set<String> BINARIES = Set.of("binary", "varbinary", "tinyblob", "blob", "mediumblob",
            "longblob");
    private static final Set<String> OTHERS = Set.of("decimal", "numeric", "float", "double", "real", "bit", "date",
            "datetime", "timestamp", "time", "year");
    private static final DateTimeFormatter WALL_CLOCK = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSS",
            Locale.ROOT);

    private ImageValues() {
    }

    /** Whether values of {@code column} can be restored; the undo refuses a table with one that cannot. */
    static boolean supported(TableColumns.Column column) {
        String t = column.dataType();
        return INTEGERS.contains(t) || TEXTS.contains(t) || BINARIES.contains(t) || OTHERS.contains(t);
    }

    /** Binds {@code value} (a JSON node of the image, null or NullNode for NULL) at {@code index}. */
    static void bind(PreparedStatement ps, int index, TableColumns.Column column, JsonNode value) throws SQLException {
        if (value == null || value.isNull() || value.isMissingNode()) {
            ps.setNull(index, Types.NULL);
            return;
        }
        try {
            bindValue(ps, index, column, value);
        } catch (IllegalArgumentException | ArithmeticException | DateTimeParseException e) {
            throw new IllegalArgumentException("column " + column.name() + " (" + column.columnType() + "): value "
                    + value + " is not as expected: " + e.getMessage(), e);
        }
    }

    private static void bindValue(PreparedStatement ps, int index, TableColumns.Column column, JsonNode value)
            throws SQLException {
        String type = column.dataType();
        if (INTEGERS.contains(type)) {
            if (value.isBoolean()) {
                ps.setInt(index, value.booleanValue() ? 1 : 0);
            } else if (column.unsigned() && "bigint".equals(type)) {
                ps.setBigDecimal(index, new BigDecimal(IntegerValue.of(value)));
            } else if (value.isIntegralNumber() && value.canConvertToLong()) {
                ps.setLong(index, value.longValue());
            } else {
                ps.setBigDecimal(index, new BigDecimal(IntegerValue.of(value)));
            }
            return;
        }
        if (TEXTS.contains(type)) {
            ps.setString(index, value.isTextual() ? value.textValue() : value.toString());
            return;
        }
        if (BINARIES.contains(type)) {
            ps.setBytes(index, Base64.getDecoder().decode(text(value)));
            return;
        }
        switch (type) {
            case "decimal", "numeric" -> ps.setBigDecimal(index, value.isNumber() ? value.decimalValue()
                    : new BigDecimal(text(value)));
            case "float", "double", "real" -> ps.setDouble(index, value.isNumber() ? value.doubleValue()
                    : Double.parseDouble(text(value)));
            case "bit" -> ps.setLong(index, bit(value));
            case "year" -> ps.setInt(index, value.isNumber() ? value.intValue() : Integer.parseInt(text(value)));
            case "date" -> ps.setString(index, value.isNumber() ? LocalDate.ofEpochDay(value.longValue()).toString()
                    : text(value));
            case "datetime" -> ps.setString(index, value.isNumber() ? wallClock(value.longValue(),
                    column.datetimePrecision()) : text(value));
            case "timestamp" -> ps.setString(index, timestamp(value, column.datetimePrecision()));
            case "time" -> ps.setString(index, value.isNumber() ? time(value.longValue()) : text(value));
            default -> throw new IllegalArgumentException("type " + type + " cannot be restored");
        }
    }

    private static String text(JsonNode value) {
        if (!value.isTextual()) {
            throw new IllegalArgumentException("expected text");
        }
        return value.textValue();
    }

    /** BIT(1) comes as a boolean, wider BITs as base64 of little-endian bytes. */
    private static long bit(JsonNode value) {
        if (value.isBoolean()) {
            return value.booleanValue() ? 1 : 0;
        }
        if (value.isIntegralNumber()) {
            return value.longValue();
        }
        byte[] littleEndian = Base64.getDecoder().decode(text(value));
        byte[] bigEndian = new byte[littleEndian.length];
        for (int i = 0; i < littleEndian.length; i++) {
            bigEndian[i] = littleEndian[littleEndian.length - 1 - i];
        }
        return new BigInteger(1, bigEndian).longValueExact();
    }

    /** DATETIME(0..3) as epoch milliseconds, DATETIME(4..6) as epoch microseconds, the wall clock read as UTC. */
    private static String wallClock(long epoch, int precision) {
        long micros = precision <= 3 ? Math.multiplyExact(epoch, 1000L) : epoch;
        Instant instant = Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L),
                Math.floorMod(micros, 1_000_000L) * 1000L);
        return WALL_CLOCK.format(LocalDateTime.ofInstant(instant, ZoneOffset.UTC));
    }

    /** TIMESTAMP as ISO-8601 with an offset (UTC from Debezium); bound in the session's UTC zone. */
    private static String timestamp(JsonNode value, int precision) {
        if (value.isNumber()) {
            return wallClock(value.longValue(), precision);
        }
        OffsetDateTime at = OffsetDateTime.parse(text(value));
        return WALL_CLOCK.format(at.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime());
    }

    /** TIME as signed microseconds, which may exceed a day ({@code -838:59:59} to {@code 838:59:59}). */
    private static String time(long micros) {
        String sign = micros < 0 ? "-" : "";
        long abs = Math.abs(micros);
        long seconds = abs / 1_000_000L;
        return String.format(Locale.ROOT, "%s%d:%02d:%02d.%06d", sign, seconds / 3600, (seconds / 60) % 60,
                seconds % 60, abs % 1_000_000L);
    }
}
