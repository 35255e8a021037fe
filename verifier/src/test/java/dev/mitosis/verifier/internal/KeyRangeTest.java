package dev.mitosis.verifier.internal;

import dev.mitosis.connectors.sql.SqlFragment;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class KeyRangeTest {

    private static final List<Column> KEY = List.of(new Column("k1", "int", "int(11)"),
            new Column("k2", "varchar", "varchar(8)"));

    @Test
    void anOpenRangeHasNoBounds() {
        assertThat(KeyRange.all().predicate(KEY).sql()).isEqualTo("1 = 1");
    }

    @Test
    void compositeBoundsAreSpelledOutRowWise() {
        KeyBound low = new KeyBound(List.of(new BigDecimal(3), "c"));
        KeyBound high = new KeyBound(List.of(new BigDecimal(5), "a"));
        SqlFragment where = new KeyRange(Optional.of(low), Optional.of(high)).predicate(KEY);
        assertThat(where.sql()).isEqualTo("((1 = 1) AND ((`k1` > ?) OR (`k1` = ? AND `k2` > ?)))"
                + " AND ((`k1` < ?) OR (`k1` = ? AND `k2` <= ?))");
        assertThat(where.params()).containsExactly(new BigDecimal(3), new BigDecimal(3), "c",
                new BigDecimal(5), new BigDecimal(5), "a");
    }

    @Test
    void boundsSurviveTheCheckpointInTheirTypes() {
        List<Column> key = List.of(new Column("n", "bigint", "bigint"), new Column("b", "varbinary", "varbinary(4)"),
                new Column("s", "char", "char(2)"));
        KeyBound bound = new KeyBound(List.of(new BigDecimal("18446744073709551615"), new byte[] {0, -1}, "DE"));
        KeyBound back = KeyBound.fromStrings(bound.toStrings(), key);
        assertThat(back.values().get(0)).isEqualTo(new BigDecimal("18446744073709551615"));
        assertThat((byte[]) back.values().get(1)).containsExactly(0, -1);
        assertThat(back.values().get(2)).isEqualTo("DE");
    }
}
