package dev.mitosis.connectors.sql;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SqlFragmentTest {

    @Test
    void combinesWithAndKeepingParameterOrder() {
        SqlFragment both = SqlFragment.of("a = ?", 1).and(SqlFragment.of("b BETWEEN ? AND ?", 2, 3));
        assertThat(both.sql()).isEqualTo("(a = ?) AND (b BETWEEN ? AND ?)");
        assertThat(both.params()).containsExactly(1, 2, 3);
    }

    @Test
    void rejectsPlaceholderCountMismatch() {
        assertThatThrownBy(() -> SqlFragment.of("a = ? AND b = ?", 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("2 placeholders but 1 parameters");
    }

    @Test
    void copiesParametersAndIsImmutable() {
        List<Object> params = new ArrayList<>(List.of(1));
        SqlFragment fragment = new SqlFragment("a = ?", params);
        params.add(2);
        assertThat(fragment.params()).containsExactly(1);
        assertThatThrownBy(() -> fragment.params().add(3)).isInstanceOf(UnsupportedOperationException.class);
    }
}
