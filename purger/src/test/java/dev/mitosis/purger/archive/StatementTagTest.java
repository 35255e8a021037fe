package dev.mitosis.purger.archive;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class StatementTagTest {

    @Test
    void readsThePurgersTagAsTheDeleteCarriesIt() {
        StatementTag tag = StatementTag.in("DELETE /* mitosis-purge shard=2 table=app.accounts */ FROM `app`.`accounts`"
                + " WHERE `id` > ? AND MOD(MOD(`uid`, 4) + 4, 4) = 0").orElseThrow();

        assertThat(tag.purge()).isTrue();
        assertThat(tag.newShard()).isEqualTo(2);
        assertThat(tag.names("app.accounts")).isTrue();
        assertThat(tag.names("app.account")).isFalse();
    }

    @Test
    void theUndoTagRoundTripsAndIsNotAPurge() {
        String comment = StatementTag.comment(StatementTag.UNDO, 1, "app.we*/ird");

        assertThat(comment).isEqualTo("/* mitosis-undo shard=1 table=app.we__ird */");
        StatementTag tag = StatementTag.in("INSERT " + comment + " INTO x VALUES (1)").orElseThrow();
        assertThat(tag.purge()).isFalse();
        assertThat(tag.names("app.we*/ird")).isTrue();
    }

    @Test
    void statementsWithoutATagHaveNone() {
        assertThat(StatementTag.in("DELETE FROM app.accounts WHERE id = 1")).isEmpty();
        assertThat(StatementTag.in("DELETE FROM t WHERE note = 'mitosis-purge shard=1 table=app.t'")).isEmpty();
        assertThat(StatementTag.in(null)).isEmpty();
    }
}
