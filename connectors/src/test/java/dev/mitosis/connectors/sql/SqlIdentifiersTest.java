package dev.mitosis.connectors.sql;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SqlIdentifiersTest {

    @Test
    void quotesPlainName() {
        assertThat(SqlIdentifiers.quote("users")).isEqualTo("`users`");
    }

    @Test
    void doublesEmbeddedBackticks() {
        assertThat(SqlIdentifiers.quote("odd`name")).isEqualTo("`odd``name`");
        assertThat(SqlIdentifiers.quote("`")).isEqualTo("````");
    }

    @Test
    void keepsEverythingElseAsIs() {
        assertThat(SqlIdentifiers.quote("a b.c'd\"e;--")).isEqualTo("`a b.c'd\"e;--`");
    }

    @Test
    void quotesSchemaQualifiedTable() {
        assertThat(SqlIdentifiers.quote("app", "my`table")).isEqualTo("`app`.`my``table`");
    }

    @Test
    void rejectsEmptyName() {
        assertThatThrownBy(() -> SqlIdentifiers.quote("")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is empty");
        assertThatThrownBy(() -> SqlIdentifiers.quote("app", "")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectsNul() {
        assertThatThrownBy(() -> SqlIdentifiers.quote("a\0b")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("NUL");
    }

    @Test
    void rejectsNull() {
        assertThatThrownBy(() -> SqlIdentifiers.quote(null)).isInstanceOf(NullPointerException.class);
    }
}
