package dev.mitosis.purger.internal;

import dev.mitosis.connectors.sql.SqlFragment;
import dev.mitosis.connectors.sql.SqlIdentifiers;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.StringJoiner;

/**
 * The statements of one chunk on one table: find the next keys of the purged residue after a key, and delete the
 * residue in the key range those keys span. Composite keys compare lexicographically, written out as
 * {@code c1 > ? OR (c1 = ? AND c2 > ?) ...} so the range optimizer uses the primary key.
 *
 * <p>The residue predicate is inside the DELETE itself: a wrong range can at worst delete nothing owned. Every
 * DELETE carries a tag comment, {@code mitosis-purge shard=S table=db.t}, which the server copies
 * into the binlog's annotate event of the transaction, so stream consumers can tell purge deletes from
 * application deletes.
 */
public final class SeekSql {

    private final String table;
    private final PrimaryKey key;
    private final SqlFragment residue;
    private final String tag;

    /**
     * @param schema   the schema
     * @param table    the table
     * @param key      its primary key
     * @param residue  the ownership predicate of the rows to delete
     * @param newShard the new shard purged, for the tag
     */
    public SeekSql(String schema, String table, PrimaryKey key, SqlFragment residue, int newShard) {
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

    /** {@code SELECT pk FROM t WHERE pk > after AND residue ORDER BY pk LIMIT ?}; {@code after} null = from the start. */
    public String selectNextKeys(boolean hasLowerBound) {
        String columns = columnList();
        return "SELECT " + columns + " FROM " + table + " FORCE INDEX (PRIMARY) WHERE "
                + (hasLowerBound ? "(" + after() + ") AND " : "") + "(" + residue.sql() + ") ORDER BY " + columns
                + " LIMIT ?";
    }

    /** Binds {@link #selectNextKeys}. */
    public void bindSelect(PreparedStatement ps, List<Object> after, int limit) throws SQLException {
        int index = 1;
        if (after != null) {
            index = bindAfter(ps, index, after);
        }
        index = residue.bind(ps, index);
        ps.setInt(index, limit);
    }

    /** {@code DELETE tag FROM t WHERE pk > after AND pk <= upTo AND residue}. */
    public String delete(boolean hasLowerBound) {
        return "DELETE " + tag + " FROM " + table + " WHERE "
                + (hasLowerBound ? "(" + after() + ") AND " : "") + "(" + upTo() + ") AND (" + residue.sql() + ")";
    }

    /** Binds {@link #delete}. */
    public void bindDelete(PreparedStatement ps, List<Object> after, List<Object> upTo) throws SQLException {
        int index = 1;
        if (after != null) {
            index = bindAfter(ps, index, after);
        }
        index = bindUpTo(ps, index, upTo);
        residue.bind(ps, index);
    }

    private String columnList() {
        StringJoiner joiner = new StringJoiner(", ");
        key.columns().forEach(c -> joiner.add(SqlIdentifiers.quote(c)));
        return joiner.toString();
    }

    /** Strictly after: {@code c1 > ? OR (c1 = ? AND c2 > ?) OR ...}. */
    private String after() {
        return lexicographic(">", false);
    }

    /** At or before: {@code c1 < ? OR (c1 = ? AND c2 < ?) OR ... OR (c1 = ? AND ... AND ck = ?)}. */
    private String upTo() {
        return lexicographic("<", true);
    }

    private String lexicographic(String operator, boolean inclusive) {
        StringJoiner or = new StringJoiner(" OR ");
        int n = key.size();
        for (int last = 0; last < n; last++) {
            or.add("(" + prefixEquals(last) + SqlIdentifiers.quote(key.columns().get(last)) + " " + operator + " ?)");
        }
        if (inclusive) {
            or.add("(" + prefixEquals(n - 1) + SqlIdentifiers.quote(key.columns().get(n - 1)) + " = ?)");
        }
        return or.toString();
    }

    private String prefixEquals(int count) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < count; i++) {
            sb.append(SqlIdentifiers.quote(key.columns().get(i))).append(" = ? AND ");
        }
        return sb.toString();
    }

    private int bindAfter(PreparedStatement ps, int index, List<Object> after) throws SQLException {
        return bindLexicographic(ps, index, after, false);
    }

    private int bindUpTo(PreparedStatement ps, int index, List<Object> upTo) throws SQLException {
        return bindLexicographic(ps, index, upTo, true);
    }

    private int bindLexicographic(PreparedStatement ps, int index, List<Object> value, boolean inclusive)
            throws SQLException {
        int n = key.size();
        for (int last = 0; last < n; last++) {
            for (int i = 0; i <= last; i++) {
                key.bind(ps, index++, i, value);
            }
        }
        if (inclusive) {
            for (int i = 0; i < n; i++) {
                key.bind(ps, index++, i, value);
            }
        }
        return index;
    }
}
