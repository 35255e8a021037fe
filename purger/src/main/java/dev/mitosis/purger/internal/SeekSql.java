package dev.mitosis.purger.internal;

import dev.mitosis.connectors.sql.KeyOrderSql;
import dev.mitosis.connectors.sql.SqlFragment;
import dev.mitosis.connectors.sql.SqlIdentifiers;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * The statement of one chunk on one table: delete the next purgeable rows after a key, in key order, and return
 * their keys, {@code DELETE ... WHERE pk > ? AND residue ORDER BY pk LIMIT ? RETURNING pk}. One statement finds and
 * deletes the chunk: no separate seek reads the range first. Composite keys compare lexicographically, written out
 * as {@code c1 > ? OR (c1 = ? AND c2 > ?) ...} so the range optimizer uses the primary key, whose order the
 * {@code ORDER BY} asks for.
 *
 * <p>A purge of one key range of the table ({@link dev.mitosis.purger.PurgeRange}) starts after the range's lower
 * bound (its first checkpoint) and adds the upper one, {@code c1 < ? OR (c1 = ? AND c2 <= ?) ...}: the chunks of two
 * ranges never touch the same row.
 *
 * <p>The residue predicate is inside the DELETE itself: a wrong lower bound can at worst delete nothing owned. Every
 * DELETE carries a tag comment, {@code mitosis-purge shard=S table=db.t}, which the server copies
 * into the binlog's annotate event of the transaction, so stream consumers can tell purge deletes from
 * application deletes.
 */
public final class SeekSql {

    private final String table;
    private final PrimaryKey key;
    private final SqlFragment residue;
    private final String tag;
    private final Optional<List<Object>> upperInclusive;

    /** The statement of a whole table: no upper bound. */
    public SeekSql(String schema, String table, PrimaryKey key, SqlFragment residue, int newShard) {
        this(schema, table, key, residue, newShard, Optional.empty());
    }

    /**
     * @param schema   the schema
     * @param table    the table
     * @param key      its primary key
     * @param residue  the ownership predicate of the rows to delete
     * @param newShard the new shard purged, for the tag
     * @param upperInclusive the last key of the range purged, or empty for no upper bound
     */
    public SeekSql(String schema, String table, PrimaryKey key, SqlFragment residue, int newShard,
                   Optional<List<Object>> upperInclusive) {
        if (upperInclusive.isPresent() && upperInclusive.get().size() != key.size()) {
            throw new IllegalArgumentException("upper bound " + upperInclusive.get() + " of " + schema + "." + table
                    + " does not have one value per key column " + key.columns());
        }
        this.upperInclusive = upperInclusive;
        this.table = SqlIdentifiers.quote(schema, table);
        this.key = key;
        this.residue = residue;
        this.tag = tag(newShard, schema + "." + table);
    }

    /** The tag comment of a purge delete; names are reduced to characters that cannot end the comment. */
    public static String tag(int newShard, String qualifiedTable) {
        return "/* mitosis-purge shard=" + newShard + " table=" + qualifiedTable.replaceAll("[^A-Za-z0-9_.$-]", "_")
                + " */";
    }

    /**
     * {@code DELETE tag FROM t WHERE pk > after AND residue ORDER BY pk LIMIT ? RETURNING pk}; without a lower
     * bound, from the start; with an upper bound, {@code AND pk <= upper} too. The server deletes in key order, so
     * the last key returned is the chunk's end.
     */
    public String deleteNext(boolean hasLowerBound) {
        String columns = columnList();
        return "DELETE " + tag + " FROM " + table + " WHERE "
                + (hasLowerBound ? "(" + after() + ") AND " : "")
                + (upperInclusive.isPresent() ? "(" + atMost() + ") AND " : "")
                + "(" + residue.sql() + ") ORDER BY " + columns
                + " LIMIT ? RETURNING " + columns;
    }

    /** Binds {@link #deleteNext}. */
    public void bindDeleteNext(PreparedStatement ps, List<Object> after, int limit) throws SQLException {
        int index = 1;
        if (after != null) {
            index = bindLexicographic(ps, index, after);
        }
        if (upperInclusive.isPresent()) {
            index = bindLexicographic(ps, index, upperInclusive.get());
        }
        index = residue.bind(ps, index);
        ps.setInt(index, limit);
    }

    private String columnList() {
        StringJoiner joiner = new StringJoiner(", ");
        key.columns().forEach(c -> joiner.add(SqlIdentifiers.quote(c)));
        return joiner.toString();
    }

    /** Strictly after: {@code c1 > ? OR (c1 = ? AND c2 > ?) OR ...}. */
    private String after() {
        return KeyOrderSql.compare(key.columns(), ">", ">");
    }

    /** At or before: {@code c1 < ? OR (c1 = ? AND c2 < ?) OR ... OR (c1 = ? AND ... AND cn <= ?)}. */
    private String atMost() {
        return KeyOrderSql.compare(key.columns(), "<", "<=");
    }

    private int bindLexicographic(PreparedStatement ps, int index, List<Object> value) throws SQLException {
        for (int i : KeyOrderSql.valueIndexes(key.size())) {
            key.bind(ps, index++, i, value);
        }
        return index;
    }
}
