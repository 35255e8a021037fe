package dev.mitosis.purger.internal;

import dev.mitosis.connectors.shard.ResiduePredicates;
import dev.mitosis.connectors.shard.ServerRole;
import dev.mitosis.connectors.shard.ShardMap;
import dev.mitosis.connectors.sql.SqlFragment;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The chunk statement: residue predicate inside every DELETE, lexicographic seek on composite keys, the tag. */
class SeekSqlTest {

    private final SqlFragment residue = new ResiduePredicates(new ShardMap(2)).purgeableOn("uid", 0, ServerRole.A);

    @Test
    void singleColumnDeleteHasLowerBoundResiduePredicateKeyOrderAndTag() {
        SeekSql sql = new SeekSql("app", "accounts", new PrimaryKey(List.of("id"), List.of(KeyKind.INTEGER)),
                residue, 0);

        assertThat(sql.deleteNext(true)).isEqualTo("DELETE /* mitosis-purge shard=0 table=app.accounts */ FROM"
                + " `app`.`accounts` WHERE ((`id` > ?)) AND (MOD(MOD(`uid`, ?) + ?, ?) = ?) ORDER BY `id` LIMIT ?"
                + " RETURNING `id`");
        assertThat(sql.deleteNext(false)).isEqualTo("DELETE /* mitosis-purge shard=0 table=app.accounts */ FROM"
                + " `app`.`accounts` WHERE (MOD(MOD(`uid`, ?) + ?, ?) = ?) ORDER BY `id` LIMIT ? RETURNING `id`");
    }

    @Test
    void compositeKeySeeksLexicographically() {
        SeekSql sql = new SeekSql("app", "events", new PrimaryKey(List.of("uid", "seq"),
                List.of(KeyKind.INTEGER, KeyKind.INTEGER)), residue, 2);

        assertThat(sql.deleteNext(true)).contains("((`uid` > ?) OR (`uid` = ? AND `seq` > ?))")
                .contains("ORDER BY `uid`, `seq` LIMIT ? RETURNING `uid`, `seq`")
                .contains("AND (MOD(MOD(`uid`")
                .startsWith("DELETE /* mitosis-purge shard=2 table=app.events */");
        long placeholders = sql.deleteNext(true).chars().filter(c -> c == '?').count();
        assertThat(placeholders).isEqualTo(3 + 4 + 1);
    }

    @Test
    void tagCannotCloseItsCommentOrAddPlaceholders() {
        assertThat(SeekSql.tag(1, "app.we*/ird?")).isEqualTo("/* mitosis-purge shard=1 table=app.we__ird_ */");
        SeekSql sql = new SeekSql("app", "odd`name", new PrimaryKey(List.of("k"), List.of(KeyKind.TEXT)), residue, 1);
        assertThat(sql.deleteNext(false)).contains("`app`.`odd``name`");
    }

    @Test
    void keysRoundTripThroughTheCheckpointWithoutLosingBits() {
        PrimaryKey key = new PrimaryKey(List.of("k", "d", "b", "s"),
                List.of(KeyKind.INTEGER, KeyKind.DECIMAL, KeyKind.BYTES, KeyKind.TEXT));
        List<Object> value = List.of(BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE),
                new java.math.BigDecimal("-12.3400"), new byte[] {0, (byte) 0xff, 7}, "naïve \"q\"");

        List<Object> back = key.decode(key.encode(value));

        assertThat(back.get(0)).isEqualTo(value.get(0));
        assertThat(back.get(1)).isEqualTo(value.get(1));
        assertThat((byte[]) back.get(2)).containsExactly(0, (byte) 0xff, 7);
        assertThat(back.get(3)).isEqualTo("naïve \"q\"");
    }

    @Test
    void kindsFollowTheColumnType() {
        assertThat(KeyKind.ofDataType("bigint")).isEqualTo(KeyKind.INTEGER);
        assertThat(KeyKind.ofDataType("DECIMAL")).isEqualTo(KeyKind.DECIMAL);
        assertThat(KeyKind.ofDataType("varbinary")).isEqualTo(KeyKind.BYTES);
        assertThat(KeyKind.ofDataType("datetime")).isEqualTo(KeyKind.TEXT);
    }
}
