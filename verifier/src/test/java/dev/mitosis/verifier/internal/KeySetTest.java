package dev.mitosis.verifier.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KeySetTest {

    @Test
    void numericKeysFromTheStreamMayComeAsBase64OfTheirBytes() {
        Column id = new Column("id", "bigint", "bigint(20) unsigned");
        // 2^64 - 1 as Kafka Connect writes a precise BIGINT UNSIGNED: base64 of 00 FF FF FF FF FF FF FF FF.
        assertThat(KeySet.of(Set.of(List.of("AP//////////"), List.of("42"))).in(List.of(id)).params()).containsExactlyInAnyOrder(new BigDecimal("18446744073709551615"), new BigDecimal("42"));
    }

    @Test
    void textKeysStayText() {
        Column code = new Column("code", "varchar", "varchar(8)", "utf8mb4_bin");
        assertThat(KeySet.of(Set.of(List.of("AP//////////"))).in(List.of(code)).params()).containsExactly("AP//////////");
    }
}
