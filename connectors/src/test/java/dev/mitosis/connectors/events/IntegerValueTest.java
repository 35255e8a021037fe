package dev.mitosis.connectors.events;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IntegerValueTest {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    @Test
    void integersTextAndBase64TwosComplementAllDecode() {
        assertThat(IntegerValue.of(JSON.numberNode(-7L))).isEqualTo(BigInteger.valueOf(-7));
        assertThat(IntegerValue.of(JSON.textNode("18446744073709551615")))
                .isEqualTo(new BigInteger("18446744073709551615"));
        BigInteger unsigned = new BigInteger("18446744073709551000");
        assertThat(IntegerValue.of(JSON.textNode(Base64.getEncoder().encodeToString(unsigned.toByteArray()))))
                .isEqualTo(unsigned);
        assertThat(IntegerValue.of(JSON.nullNode())).isNull();
        assertThat(IntegerValue.of(null)).isNull();
    }

    @Test
    void aFractionIsNotAShardKey() {
        assertThatThrownBy(() -> IntegerValue.of(JSON.numberNode(1.5))).hasMessageContaining("not an integer");
    }
}
