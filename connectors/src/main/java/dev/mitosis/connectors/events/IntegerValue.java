package dev.mitosis.connectors.events;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Base64;

/**
 * An integer column's value as a change event carries it (a shard key, a numeric primary key), turned into what
 * {@link dev.mitosis.connectors.shard.ShardMap} classifies and SQL parameters take: a JSON integer (signed integer columns), integral text, or base64 of a two's-complement integer (how
 * Debezium's JSON writes BIGINT UNSIGNED under {@code bigint.unsigned.handling.mode=precise}).
 */
public final class IntegerValue {

    private IntegerValue() {
    }

    /**
     * @return a {@link BigInteger}, or null for a JSON null or a missing value
     * @throws IllegalArgumentException for a value that is not an integer in any of those forms
     */
    public static BigInteger of(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return null;
        }
        if (value.isIntegralNumber()) {
            return value.bigIntegerValue();
        }
        if (value.isNumber()) {
            BigDecimal d = value.decimalValue();
            try {
                return d.toBigIntegerExact();
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException("value " + value + " is not an integer");
            }
        }
        if (value.isTextual()) {
            String text = value.asText();
            try {
                // DECIMAL under decimal.handling.mode=string prints trailing zeros: 12.00 is the integer 12.
                BigDecimal d = new BigDecimal(text);
                try {
                    return d.toBigIntegerExact();
                } catch (ArithmeticException e) {
                    throw new IllegalArgumentException("value " + value + " is not an integer");
                }
            } catch (NumberFormatException notDecimal) {
                // base64, below
            }
            try {
                byte[] bytes = Base64.getDecoder().decode(text);
                if (bytes.length > 0) {
                    return new BigInteger(bytes);
                }
            } catch (IllegalArgumentException e) {
                // not base64 either
            }
        }
        throw new IllegalArgumentException("value " + value + " is neither an integer nor base64 of one");
    }
}
