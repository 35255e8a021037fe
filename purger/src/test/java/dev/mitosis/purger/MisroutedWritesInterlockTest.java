package dev.mitosis.purger;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

/** How a shard-key value from the change stream becomes an integer to classify; no servers. */
class MisroutedWritesInterlockTest {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    @Test
    void numbersDecimalStringsAndPreciseUnsignedBytesAreIntegers() {
        BigInteger big = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
        assertThat(MisroutedWritesInterlock.integer(JSON.numberNode(-7L))).hasValue(BigInteger.valueOf(-7));
        assertThat(MisroutedWritesInterlock.integer(JSON.numberNode(big))).hasValue(big);
        assertThat(MisroutedWritesInterlock.integer(JSON.textNode("18446744073709551615"))).hasValue(big);
        assertThat(MisroutedWritesInterlock.integer(JSON.numberNode(new BigDecimal("12.0"))))
                .hasValue(BigInteger.valueOf(12));
        // Kafka Connect's Decimal as base64 of the unscaled big-endian bytes (a leading 0 keeps it positive).
        byte[] bytes = new BigInteger("9223372036854775810").toByteArray();
        assertThat(MisroutedWritesInterlock.integer(JSON.textNode(Base64.getEncoder().encodeToString(bytes))))
                .hasValue(new BigInteger("9223372036854775810"));
    }

    @Test
    void fractionsAndOtherTextAreNot() {
        assertThat(MisroutedWritesInterlock.integer(JSON.numberNode(new BigDecimal("1.5")))).isEmpty();
        assertThat(MisroutedWritesInterlock.integer(JSON.textNode("2.5"))).isEmpty();
        assertThat(MisroutedWritesInterlock.integer(JSON.textNode("not a key!"))).isEmpty();
        assertThat(MisroutedWritesInterlock.integer(JSON.booleanNode(true))).isEmpty();
    }
}
