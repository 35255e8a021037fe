package dev.mitosis.purger.archive;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ShardKeyValueTest {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    @Test
    void integersTextAndBase64TwosComplementAllDecode() {
        assertThat(ShardKeyValue.of(JSON.numberNode(-7L))).isEqualTo(BigInteger.valueOf(-7));
        assertThat(ShardKeyValue.of(JSON.textNode("18446744073709551615")))
                .isEqualTo(new BigInteger("18446744073709551615"));
        BigInteger unsigned = new BigInteger("18446744073709551000");
        assertThat(ShardKeyValue.of(JSON.textNode(Base64.getEncoder().encodeToString(unsigned.toByteArray()))))
                .isEqualTo(unsigned);
        assertThat(ShardKeyValue.of(JSON.nullNode())).isNull();
        assertThat(ShardKeyValue.of(null)).isNull();
    }

    @Test
    void aFractionIsNotAShardKey() {
        assertThatThrownBy(() -> ShardKeyValue.of(JSON.numberNode(1.5))).hasMessageContaining("not an integer");
    }
}
