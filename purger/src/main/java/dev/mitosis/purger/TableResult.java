package dev.mitosis.purger;

import java.util.Optional;

/**
 * What a purge run did to one table.
 *
 * @param table            {@code schema.table}
 * @param rowsDeleted      rows deleted by this run
 * @param rowsDeletedTotal rows deleted over all runs (the checkpoint's count)
 * @param resumedFrom      the checkpoint key the run resumed after, if any
 * @param finished         whether the table's purge is complete
 * @param remaining        exact counts after the run, when the table finished
 */
public record TableResult(String table, long rowsDeleted, long rowsDeletedTotal, Optional<String> resumedFrom,
                          boolean finished, Optional<ResidueCounts> remaining) {
}
