package dev.mitosis.purger;

import java.util.List;
import java.util.Objects;

/**
 * The purge of one new shard: which residue goes, which stays, and every table in scope.
 *
 * @param newShard       the new shard purged
 * @param serverName     the server it lives on
 * @param purgedResidue  the residue mod 2n deleted (the sibling's)
 * @param keptResidue    the residue mod 2n kept
 * @param modulus        2n
 * @param tables         every in-scope table with a shard-key column, purged or skipped with a reason
 */
public record PurgePlan(int newShard, String serverName, int purgedResidue, int keptResidue, int modulus,
                        List<TablePlan> tables) {

    /** Copies the table list. */
    public PurgePlan {
        Objects.requireNonNull(serverName, "serverName");
        tables = List.copyOf(tables);
    }

    /** The estimated rows to delete over all purged tables. */
    public long estimatedRows() {
        return tables.stream().filter(TablePlan::purged).mapToLong(TablePlan::estimatedRows).sum();
    }
}
