package dev.mitosis.connectors.sql;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A composite key's order written out term by term, each term binding the key's prefix values. */
class KeyOrderSqlTest {

    @Test
    void afterAndAtMostSpellOutEveryPrefix() {
        assertThat(KeyOrderSql.compare(List.of("a", "b", "c"), ">", ">"))
                .isEqualTo("(`a` > ?) OR (`a` = ? AND `b` > ?) OR (`a` = ? AND `b` = ? AND `c` > ?)");
        assertThat(KeyOrderSql.compare(List.of("a", "b"), "<", "<="))
                .isEqualTo("(`a` < ?) OR (`a` = ? AND `b` <= ?)");
        assertThat(KeyOrderSql.compare(List.of("id"), "<", "<=")).isEqualTo("(`id` <= ?)");
    }

    @Test
    void eachPlaceholderTakesTheValueOfItsColumn() {
        assertThat(KeyOrderSql.valueIndexes(3)).containsExactly(0, 0, 1, 0, 1, 2);
        SqlFragment after = KeyOrderSql.compare(List.of("uid", "seq"), List.of(7L, "x"), ">", ">");
        assertThat(after.params()).containsExactly(7L, 7L, "x");
        assertThat(after.sql()).isEqualTo("(`uid` > ?) OR (`uid` = ? AND `seq` > ?)");
    }
}
