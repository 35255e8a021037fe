package dev.mitosis.purger.proof;

import dev.mitosis.purger.ResidueCounts;

import java.util.List;

/**
 * The proof of one table of a purged shard.
 *
 * @param table              {@code schema.table}
 * @param remaining          exact counts now: {@code purge} is what remains of the purged residue (must be 0);
 *                           misplaced and NULL-key rows are reported, not a failure
 * @param reportedDeleted    rows the purger recorded as deleted (its checkpoint), 0 when it never ran on the table
 * @param purgeFinished      whether the purger's checkpoint says the table is done
 * @param archiveTopic       the change topic read
 * @param taggedDeletes      purge-tagged deletes of this server in the archive, de-duplicated
 * @param taggedEvents       every purge-tagged change of this server and table in the archive, de-duplicated
 * @param violations         purge-tagged changes the audit rejects
 * @param violationSamples   the first few of them
 * @param verdict            PROVEN, DISPROVEN or CANNOT_TELL
 * @param reasons            why the verdict is not PROVEN (empty when it is)
 */
public record TableProof(String table, ResidueCounts remaining, long reportedDeleted, boolean purgeFinished,
                         String archiveTopic, long taggedDeletes, long taggedEvents, long violations,
                         List<Violation> violationSamples, Verdict verdict, List<String> reasons) {

    public TableProof {
        violationSamples = List.copyOf(violationSamples);
        reasons = List.copyOf(reasons);
    }
}
