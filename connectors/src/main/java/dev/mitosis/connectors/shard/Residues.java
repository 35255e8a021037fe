package dev.mitosis.connectors.shard;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.OptionalInt;

/**
 * Residue arithmetic for shard keys: the floor modulo, always in {@code 0..modulus-1}, for every way a key can
 * arrive (signed long, unsigned long, {@link BigInteger}, or a JDBC column value).
 */
final class Residues {

    private Residues() {
    }

    /** Residue of a signed key: floor modulo, so {@code -1 mod 4 = 3}, not the {@code -1} of Java's {@code %}. */
    static int ofSigned(long key, int modulus) {
        return Math.floorMod(key, modulus);
    }

    /** Residue of a key whose 64 bits are an unsigned value (BIGINT UNSIGNED read into a long). */
    static int ofUnsigned(long key, int modulus) {
        return (int) Long.remainderUnsigned(key, modulus);
    }

    /** Residue of an arbitrary-size key; {@link BigInteger#mod} is never negative, like floor modulo. */
    static int of(BigInteger key, int modulus) {
        return key.mod(BigInteger.valueOf(modulus)).intValueExact();
    }

    /**
     * Residue of a value read from JDBC ({@code ResultSet.getObject}).
     *
     * @param value a {@code Long}, {@code Integer}, {@code Short}, {@code Byte}, {@code BigInteger}, an integral
     *              {@code BigDecimal}, or null
     * @return the residue, or empty for NULL
     * @throws IllegalArgumentException for a fractional number or a value of another type
     */
    static OptionalInt ofValue(Object value, int modulus) {
        if (value == null) {
            return OptionalInt.empty();
        }
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return OptionalInt.of(ofSigned(((Number) value).longValue(), modulus));
        }
        if (value instanceof BigInteger big) {
            return OptionalInt.of(of(big, modulus));
        }
        if (value instanceof BigDecimal decimal) {
            return OptionalInt.of(of(integral(decimal), modulus));
        }
        throw new IllegalArgumentException("a shard key must be an integer (Long, Integer, Short, Byte, BigInteger"
                + " or integral BigDecimal), not a " + value.getClass().getName());
    }

    private static BigInteger integral(BigDecimal decimal) {
        try {
            return decimal.toBigIntegerExact();
        } catch (ArithmeticException fractional) {
            throw new IllegalArgumentException("a shard key must be an integer, not " + decimal.toPlainString());
        }
    }
}
