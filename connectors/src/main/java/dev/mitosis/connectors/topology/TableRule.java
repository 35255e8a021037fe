package dev.mitosis.connectors.topology;

import java.util.Objects;
import java.util.Optional;

/**
 * How the split treats one table: sharded by a key column (verified, and purged after the split), or broadcast
 * (a full copy on every shard: verified, never purged).
 *
 * @param schema   the schema (database) name
 * @param table    the table name
 * @param shardKey the column whose residue places each row; empty for a broadcast table
 */
public record TableRule(String schema, String table, Optional<String> shardKey) {

    /** The shard key of a table that the config does not list. */
    public static final String DEFAULT_SHARD_KEY = "uid";

    /** Checks all parts are present. */
    public TableRule {
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(shardKey, "shardKey");
    }

    /** A table sharded by {@code column}. */
    public static TableRule sharded(String schema, String table, String column) {
        return new TableRule(schema, table, Optional.of(column));
    }

    /** A table copied to every shard. */
    public static TableRule broadcast(String schema, String table) {
        return new TableRule(schema, table, Optional.empty());
    }

    /** Whether the table is a full copy on every shard, so never purged. */
    public boolean broadcast() {
        return shardKey.isEmpty();
    }

    /** {@code schema.table}, as the config and the CLI name it (not quoted for SQL). */
    public String qualifiedName() {
        return schema + "." + table;
    }
}
