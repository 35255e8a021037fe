package dev.mitosis.purger.proof;

import java.util.List;
import java.util.Optional;

/**
 * The proof of a purged shard: every purgeable table's proof and the verdict over all of them.
 *
 * @param newShard       the shard proven
 * @param server         its server
 * @param purgedResidue  the residue mod 2n the purge deleted
 * @param keptResidue    the residue mod 2n the shard owns
 * @param serverGtid     the server's {@code gtid_binlog_pos} when the proof began: the archive is complete if
 *                       capture covers it
 * @param captureGap     why capture does not cover {@code serverGtid}; empty when it does
 * @param tables         one proof per purgeable table
 * @param verdict        the worst table verdict (CANNOT_TELL as well when capture does not cover the position)
 */
public record ProofReport(int newShard, String server, int purgedResidue, int keptResidue, String serverGtid,
                          Optional<String> captureGap, List<TableProof> tables, Verdict verdict) {

    public ProofReport {
        tables = List.copyOf(tables);
    }
}
