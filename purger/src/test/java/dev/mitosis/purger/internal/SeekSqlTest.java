package dev.mitosis.purger.internal;

import dev.mitosis.connectors.shard.ResiduePredicates;
import dev.mitosis.connectors.shard.ServerRole;
import dev.mitosis.connectors.shard.ShardMap;
import dev.mitosis.connectors.sql.SqlFragment;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

    @Test
    void rangeAddsItsUpperBoundLexicographicallyAndBindsItAfterTheLowerOne() throws Exception {
        PrimaryKey key = new PrimaryKey(List.of("uid", "seq"), List.of(KeyKind.INTEGER, KeyKind.INTEGER));
        List<Object> upper = key.fromSplitText(List.of("70", "3"));
        SeekSql sql = new SeekSql("app", "events", key, residue, 2, Optional.of(upper));

        String delete = sql.deleteNext(true);
        assertThat(delete).contains("WHERE ((`uid` > ?) OR (`uid` = ? AND `seq` > ?))"
                + " AND ((`uid` < ?) OR (`uid` = ? AND `seq` <= ?)) AND (MOD(MOD(`uid`");
        assertThat(delete.chars().filter(c -> c == '?').count()).isEqualTo(3 + 3 + 4 + 1);
        assertThat(sql.deleteNext(false)).contains("WHERE ((`uid` < ?) OR (`uid` = ? AND `seq` <= ?)) AND (MOD(");

        Map<Integer, Object> bound = new TreeMap<>();
        PreparedStatement ps = (PreparedStatement) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {PreparedStatement.class}, (p, m, args) -> {
                    if (m.getName().startsWith("set")) {
                        bound.put((Integer) args[0], args[1]);
                    }
                    return null;
                });
        sql.bindDeleteNext(ps, List.of(BigInteger.valueOf(10), BigInteger.ONE), 500);
        // Records what is bound where: the order of the bounds is the behaviour under test, not the server's.
        // lower (10, 1) as uid, uid, seq; upper (70, 3) likewise; then the residue's 4 values and the limit.
        assertThat(bound).hasSize(11);
        assertThat(List.of(bound.get(1), bound.get(2), bound.get(3))).containsExactly(10L, 10L, 1L);
        assertThat(List.of(bound.get(4), bound.get(5), bound.get(6))).containsExactly(70L, 70L, 3L);
        assertThat(bound.get(11)).isEqualTo(500);
    }

    @Test
    void singleColumnRangeEndsAtItsUpperKeyInclusive() {
        PrimaryKey key = new PrimaryKey(List.of("id"), List.of(KeyKind.INTEGER));
        SeekSql sql = new SeekSql("app", "accounts", key, residue, 0, Optional.of(key.fromSplitText(List.of("99"))));

        assertThat(sql.deleteNext(true)).contains("WHERE ((`id` > ?)) AND ((`id` <= ?)) AND (MOD(");
    }

    @Test
    void splitBoundsConvertToTheKeyTypesWithoutLosingBits() {
        PrimaryKey key = new PrimaryKey(List.of("k", "d", "b", "s"),
                List.of(KeyKind.INTEGER, KeyKind.DECIMAL, KeyKind.BYTES, KeyKind.TEXT));

        List<Object> value = key.fromSplitText(List.of("18446744073709551615", "-12.3400", "b64:AP8H", "b64:text"));

        assertThat(value.get(0)).isEqualTo(BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE));
        assertThat(value.get(1)).isEqualTo(new BigDecimal("-12.3400"));
        assertThat((byte[]) value.get(2)).containsExactly(0, (byte) 0xff, 7);
        assertThat(value.get(3)).as("a text column's value is the text itself").isEqualTo("b64:text");
        assertThat(key.decode(key.encode(value)).get(0)).isEqualTo(value.get(0));
    }

    @Test
    void splitBoundThatDoesNotFitTheKeyIsRefusedNamingColumnAndValue() {
        PrimaryKey key = new PrimaryKey(List.of("id", "b"), List.of(KeyKind.INTEGER, KeyKind.BYTES));

        assertThatThrownBy(() -> key.fromSplitText(List.of("12x", "b64:AA==")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'12x'").hasMessageContaining("id");
        assertThatThrownBy(() -> key.fromSplitText(List.of("12", "00ff")))
                .hasMessageContaining("column b").hasMessageContaining("b64:");
        assertThatThrownBy(() -> key.fromSplitText(List.of("12")))
                .hasMessageContaining("has 1 columns, the primary key [id, b] has 2");
    }
}
