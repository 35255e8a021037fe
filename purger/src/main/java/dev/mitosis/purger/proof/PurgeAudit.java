package dev.mitosis.purger.proof;

import dev.mitosis.connectors.events.ChangeEvent;
import dev.mitosis.connectors.events.Op;
import dev.mitosis.connectors.shard.Ownership;
import dev.mitosis.purger.PurgeTarget;
import dev.mitosis.connectors.events.IntegerValue;
import dev.mitosis.purger.archive.StatementTag;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * The audit of one table's archive on the purged server: of the changes this server made itself (not those
 * replicated from a peer) that carry the purger's tag, every one must be a DELETE of a row of the purged residue.
 * An insert or update with the tag, or a delete of an owned row or of any other residue, is a violation.
 */
final class PurgeAudit {

    /** How many violations a report keeps; the count is exact. */
    static final int SAMPLES = 10;

    private final PurgeTarget target;
    private final String qualifiedTable;
    private final List<Violation> samples = new ArrayList<>();
    private long taggedEvents;
    private long taggedDeletes;
    private long violations;

    PurgeAudit(PurgeTarget target, String qualifiedTable) {
        this.target = target;
        this.qualifiedTable = qualifiedTable;
    }

    /** Takes one de-duplicated event of the table's archive. */
    void accept(ChangeEvent event) {
        if (event.replicated() || event.op() == Op.READ) {
            return;
        }
        StatementTag tag = event.statement().flatMap(StatementTag::in).orElse(null);
        if (tag == null || !tag.purge() || !tag.names(qualifiedTable)) {
            return;
        }
        taggedEvents++;
        if (event.op() != Op.DELETE) {
            violation(Violation.NOT_A_DELETE, event);
            return;
        }
        taggedDeletes++;
        Ownership ownership;
        try {
            BigInteger uid = IntegerValue.of(event.shardKeyValue().orElse(null));
            ownership = target.shardMap().classifyValue(uid, target.oldShard(), target.role());
        } catch (IllegalArgumentException e) {
            ownership = Ownership.MISPLACED;
        }
        if (ownership == Ownership.KEEP) {
            violation(Violation.OWNED_ROW_TOUCHED, event);
        } else if (ownership != Ownership.PURGE) {
            violation(Violation.NOT_PURGED_RESIDUE, event);
        }
    }

    private void violation(String kind, ChangeEvent event) {
        violations++;
        if (samples.size() < SAMPLES) {
            samples.add(new Violation(kind, event.id().toString(), event.op().code(), event.primaryKey().toString(),
                    event.shardKeyValue().filter(v -> !v.isNull()).map(Object::toString).orElse(null)));
        }
    }

    long taggedEvents() {
        return taggedEvents;
    }

    long taggedDeletes() {
        return taggedDeletes;
    }

    long violations() {
        return violations;
    }

    List<Violation> samples() {
        return List.copyOf(samples);
    }
}
