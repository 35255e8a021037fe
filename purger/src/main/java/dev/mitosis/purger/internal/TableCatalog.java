package dev.mitosis.purger.internal;

import dev.mitosis.connectors.topology.TableRule;
import dev.mitosis.purger.TablePlan;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * Finds what the purge covers on a server: every base table of the schemas in scope whose rule names a shard key
 * (broadcast tables never), with its primary key and the server's row estimate. A table whose shard-key column is
 * missing is left out (it is not sharded by that column); one without a primary key is planned as skipped, with
 * the reason, since it cannot be chunked safely.
 */
public final class TableCatalog {

    /** One table as the catalog sees it. */
    public record Entry(TablePlan plan, Optional<PrimaryKey> key) {
    }

    private TableCatalog() {
    }

    /**
     * @param rules  the table rules of the config ({@code MitosisConfig::tableRule})
     * @param only   {@code schema.table} names to limit the plan to; empty for all
     */
    public static List<Entry> scan(Connection c, List<String> schemas, BiFunction<String, String, TableRule> rules,
                                   List<String> only) throws SQLException {
        List<Entry> entries = new ArrayList<>();
        for (String schema : schemas) {
            for (Map.Entry<String, Long> table : tables(c, schema).entrySet()) {
                TableRule rule = rules.apply(schema, table.getKey());
                if (rule.broadcast() || (!only.isEmpty() && !only.contains(schema + "." + table.getKey()))) {
                    continue;
                }
                Map<String, String> columns = columns(c, schema, table.getKey());
                String shardKey = rule.shardKey().orElseThrow();
                if (!columns.containsKey(shardKey)) {
                    continue;
                }
                List<String> pk = primaryKey(c, schema, table.getKey());
                long estimate = table.getValue() / 2;
                if (pk.isEmpty()) {
                    entries.add(new Entry(new TablePlan(schema, table.getKey(), shardKey, pk, estimate,
                            Optional.empty(), Optional.of("no primary key: cannot seek in chunks")), Optional.empty()));
                    continue;
                }
                List<KeyKind> kinds = pk.stream().map(col -> KeyKind.ofDataType(columns.get(col))).toList();
                entries.add(new Entry(new TablePlan(schema, table.getKey(), shardKey, pk, estimate, Optional.empty(),
                        Optional.empty()), Optional.of(new PrimaryKey(pk, kinds))));
            }
        }
        return entries;
    }

    private static Map<String, Long> tables(Connection c, String schema) throws SQLException {
        Map<String, Long> tables = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT TABLE_NAME, COALESCE(TABLE_ROWS, 0)"
                + " FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'BASE TABLE'"
                + " ORDER BY TABLE_NAME")) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    tables.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        return tables;
    }

    private static Map<String, String> columns(Connection c, String schema, String table) throws SQLException {
        Map<String, String> columns = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT COLUMN_NAME, DATA_TYPE FROM information_schema.COLUMNS"
                + " WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION")) {
            ps.setString(1, schema);
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    columns.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return columns;
    }

    private static List<String> primaryKey(Connection c, String schema, String table) throws SQLException {
        List<String> pk = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT COLUMN_NAME FROM information_schema.STATISTICS"
                + " WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND INDEX_NAME = 'PRIMARY' ORDER BY SEQ_IN_INDEX")) {
            ps.setString(1, schema);
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    pk.add(rs.getString(1));
                }
            }
        }
        return pk;
    }
}
