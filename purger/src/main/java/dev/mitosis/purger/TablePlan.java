package dev.mitosis.purger;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the purge does to one table of the purged server.
 *
 * @param schema         the schema
 * @param table          the table
 * @param shardKey       the shard-key column whose residue decides
 * @param primaryKey     the primary-key columns, in key order: the chunks seek forward on them
 * @param estimatedRows  the server's estimate of the rows to delete (half the table's estimated rows)
 * @param counts         exact counts, when asked for (dry run, end of run)
 * @param skipReason     why the table cannot be purged (e.g. no primary key); empty when it is purged
 */
public record TablePlan(String schema, String table, String shardKey, List<String> primaryKey, long estimatedRows,
                        Optional<ResidueCounts> counts, Optional<String> skipReason) {

    /** Copies the key list. */
    public TablePlan {
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(shardKey, "shardKey");
        primaryKey = List.copyOf(primaryKey);
        Objects.requireNonNull(counts, "counts");
        Objects.requireNonNull(skipReason, "skipReason");
    }

    /** {@code schema.table}, as the config and the command name it. */
    public String qualifiedName() {
        return schema + "." + table;
    }

    /** The same plan with exact counts. */
    public TablePlan withCounts(ResidueCounts exact) {
        return new TablePlan(schema, table, shardKey, primaryKey, estimatedRows, Optional.of(exact), skipReason);
    }

    /** Whether the purge deletes from this table. */
    public boolean purged() {
        return skipReason.isEmpty();
    }
}
