package dev.mitosis.connectors.work;

import dev.mitosis.connectors.sql.KeyOrderSql;
import dev.mitosis.connectors.sql.SqlFragment;
import dev.mitosis.connectors.sql.SqlIdentifiers;

import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;

/**
 * Cuts a table's primary keys into ranges of about equal rows ({@link KeySplit}), reading as little as it can: a
 * single integer key by the optimizer's row estimates over a grid between its MIN and MAX (index dives, no row
 * read); any other key by walking the primary key {@code rows / parts} rows at a time, with the row count the
 * server estimates. Either way a range may hold more or fewer rows than its share (estimates, rows written since);
 * it never changes which rows exist or which range holds them.
 */
public final class KeySplitter {

    /** Value prefix of a binary key column's bytes, as the verifier writes its chunk bounds. */
    public static final String BYTES_PREFIX = "b64:";
    private static final Set<Integer> INTEGER_TYPES = Set.of(Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT);
    private static final Set<Integer> BINARY_TYPES =
            Set.of(Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB);
    private static final int STATEMENT_TIMEOUT_S = 300;
    private static final int CELLS = 16;

    private KeySplitter() {
    }

    /**
     * Splits {@code schema.table} on the connection's server.
     *
     * @param keyColumns the primary key's columns, in order
     * @param server     the server's name, recorded in the split
     */
    public static KeySplit split(Connection connection, String schema, String table, List<String> keyColumns,
                                 int parts, String server) throws SQLException {
        if (keyColumns.isEmpty()) {
            throw new IllegalArgumentException(schema + "." + table + " has no primary key to split on");
        }
        String from = SqlIdentifiers.quote(schema, table);
        List<List<String>> boundaries = parts == 1 ? List.of()
                : keyColumns.size() == 1 && isInteger(connection, from, keyColumns.get(0))
                        ? integerBoundaries(connection, from, keyColumns.get(0), parts)
                        : walkedBoundaries(connection, schema, table, keyColumns, parts);
        return new KeySplit(schema + "." + table, keyColumns, parts, boundaries, server, System.currentTimeMillis());
    }

    private static boolean isInteger(Connection connection, String from, String column) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT " + SqlIdentifiers.quote(column) + " FROM " + from
                     + " LIMIT 0")) {
            return INTEGER_TYPES.contains(rs.getMetaData().getColumnType(1));
        }
    }

    /**
     * {@code parts - 1} cuts between MIN and MAX where the rows, not the keys, are shared evenly. Each cut is found
     * by estimates alone (the optimizer's {@code EXPLAIN} of a key range, an index dive, no row read): the range is cut
     * into {@value #CELLS} cells, the cell where the cut's share of rows is reached is cut again, and so on until a
     * cell holds little enough. Keys in clumps with wide gaps between are thus still cut into ranges of about equal
     * rows. Fewer cuts when there are fewer keys than parts.
     */
    private static List<List<String>> integerBoundaries(Connection connection, String from, String column, int parts)
            throws SQLException {
        String quoted = SqlIdentifiers.quote(column);
        BigInteger min;
        BigInteger max;
        try (Statement statement = connection.createStatement()) {
            statement.setQueryTimeout(STATEMENT_TIMEOUT_S);
            try (ResultSet rs = statement.executeQuery("SELECT CAST(MIN(" + quoted + ") AS CHAR), CAST(MAX(" + quoted
                    + ") AS CHAR) FROM " + from)) {
                rs.next();
                if (rs.getString(1) == null) {
                    return List.of();
                }
                min = new BigInteger(rs.getString(1));
                max = new BigInteger(rs.getString(2));
            }
        }
        List<List<String>> boundaries = new ArrayList<>();
        try (Statement statement = connection.createStatement()) {
            RangeEstimates estimates = new RangeEstimates(statement, from, quoted);
            BigInteger below = min.subtract(BigInteger.ONE);
            long total = estimates.rows(below, max);
            BigInteger previous = below;
            for (int i = 1; i < parts; i++) {
                BigInteger cut = estimates.cut(below, max, total * i / parts, Math.max(1, total / (parts * CELLS)));
                if (cut.compareTo(previous) > 0 && cut.compareTo(max) < 0) {
                    boundaries.add(List.of(cut.toString()));
                    previous = cut;
                }
            }
        }
        return boundaries;
    }

    /** Row estimates of integer key ranges {@code (lo, hi]}. */
    private record RangeEstimates(Statement statement, String from, String column) {

        long rows(BigInteger lo, BigInteger hi) throws SQLException {
            return estimatedRows(statement, "SELECT " + column + " FROM " + from + " WHERE " + column + " > " + lo
                    + " AND " + column + " <= " + hi);
        }

        /** A key {@code k} in {@code (lo, hi]} with about {@code need} rows in {@code (lo, k]}. */
        BigInteger cut(BigInteger lo, BigInteger hi, long need, long tolerance) throws SQLException {
            while (hi.subtract(lo).compareTo(BigInteger.ONE) > 0) {
                BigInteger width = hi.subtract(lo);
                int cells = width.min(BigInteger.valueOf(CELLS)).intValueExact();
                BigInteger cellLo = lo;
                boolean narrowed = false;
                for (int j = 1; j <= cells && !narrowed; j++) {
                    BigInteger cellHi = lo.add(width.multiply(BigInteger.valueOf(j)).divide(BigInteger.valueOf(cells)));
                    long rows = rows(cellLo, cellHi);
                    if (rows >= need) {
                        if (rows <= tolerance || cellHi.subtract(cellLo).equals(BigInteger.ONE)) {
                            return 2 * need < rows ? cellLo.max(lo.add(BigInteger.ONE)) : cellHi;
                        }
                        lo = cellLo;
                        hi = cellHi;
                        narrowed = true;
                    } else {
                        need -= rows;
                        cellLo = cellHi;
                    }
                }
                if (!narrowed) {
                    return hi;
                }
            }
            return hi;
        }
    }

    /** The optimizer's estimate of the rows a query reads, from its {@code EXPLAIN}. */
    private static long estimatedRows(Statement statement, String query) throws SQLException {
        try (ResultSet rs = statement.executeQuery("EXPLAIN " + query)) {
            long rows = 0;
            while (rs.next()) {
                rows += rs.getLong("rows");
            }
            return rows;
        }
    }

    /** Every {@code rows / parts}-th key in key order, each found from the one before. */
    private static List<List<String>> walkedBoundaries(Connection connection, String schema, String table,
                                                       List<String> keyColumns, int parts) throws SQLException {
        long step = Math.max(1, estimatedRows(connection, schema, table) / parts);
        String from = SqlIdentifiers.quote(schema, table);
        StringJoiner select = new StringJoiner(", ");
        keyColumns.forEach(c -> select.add(SqlIdentifiers.quote(c)));
        List<List<String>> boundaries = new ArrayList<>();
        Optional<Object[]> previous = Optional.empty();
        while (boundaries.size() < parts - 1) {
            SqlFragment after = previous.map(p -> KeyOrderSql.compare(keyColumns, Arrays.asList(p), ">", ">"))
                    .orElse(SqlFragment.of("1 = 1"));
            String sql = "SELECT " + select + " FROM " + from + " WHERE " + after.sql()
                    + " ORDER BY " + select + " LIMIT 1 OFFSET " + (step - 1);
            try (PreparedStatement ps = connection.prepareStatement(sql)) {
                ps.setQueryTimeout(STATEMENT_TIMEOUT_S);
                after.bind(ps, 1);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return boundaries;
                    }
                    Object[] key = new Object[keyColumns.size()];
                    List<String> text = new ArrayList<>();
                    ResultSetMetaData meta = rs.getMetaData();
                    for (int i = 0; i < key.length; i++) {
                        boolean bytes = BINARY_TYPES.contains(meta.getColumnType(i + 1));
                        key[i] = bytes ? rs.getBytes(i + 1) : rs.getString(i + 1);
                        text.add(bytes ? BYTES_PREFIX + Base64.getEncoder().encodeToString((byte[]) key[i])
                                : (String) key[i]);
                    }
                    boundaries.add(text);
                    previous = Optional.of(key);
                }
            }
        }
        return boundaries;
    }

    private static long estimatedRows(Connection connection, String schema, String table) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT TABLE_ROWS FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?")) {
            ps.setString(1, schema);
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }
}
