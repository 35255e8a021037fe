package dev.mitosis.purger.undo;

import java.util.List;
import java.util.Optional;

/**
 * What an undo did.
 *
 * @param newShard         the new shard whose purge was undone
 * @param server           its server
 * @param table            {@code schema.table}
 * @param archiveTopic     the change topic read
 * @param serverGtid       the server's position when the undo began
 * @param captureGap       why capture does not cover that position; empty when it does
 * @param reportedDeleted  rows the purger recorded as deleted from the table
 * @param taggedDeletes    purge-tagged deletes of this server and table in the archive, de-duplicated
 * @param restored         rows re-inserted
 * @param skippedExisting  images not restored because a row with that primary key exists now
 * @param conflicts        images not restored because they collide on another unique key
 * @param conflictSamples  the first few conflicts
 * @param refusal          why the undo wrote nothing; empty when it ran
 */
public record UndoReport(int newShard, String server, String table, String archiveTopic, String serverGtid,
                         Optional<String> captureGap, long reportedDeleted, long taggedDeletes, long restored,
                         long skippedExisting, long conflicts, List<String> conflictSamples,
                         Optional<String> refusal) {

    public UndoReport {
        conflictSamples = List.copyOf(conflictSamples);
    }
}
