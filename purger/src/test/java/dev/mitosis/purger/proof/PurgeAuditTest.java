package dev.mitosis.purger.proof;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mitosis.connectors.events.ChangeEvent;
import dev.mitosis.connectors.events.EventId;
import dev.mitosis.connectors.events.Op;
import dev.mitosis.connectors.shard.ShardMap;
import dev.mitosis.purger.PurgeTarget;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** New shard 0 of a 2 → 4 split: server A of pair 0 keeps uid % 4 == 0 and purges uid % 4 == 2. */
class PurgeAuditTest {

    private static final String TAG = "DELETE /* mitosis-purge shard=0 table=app.accounts */ FROM t WHERE ...";
    private final PurgeTarget target = new PurgeTarget(new ShardMap(2), 0, "p0-a", () -> {
        throw new AssertionError("no session needed");
    });
    private final PurgeAudit audit = new PurgeAudit(target, "app.accounts");
    private long position;

    private ChangeEvent event(Op op, Long uid, String statement, long originServerId) {
        ObjectNode row = JsonNodeFactory.instance.objectNode().put("id", ++position);
        if (uid == null) {
            row.putNull("uid");
        } else {
            row.put("uid", uid);
        }
        ObjectNode key = JsonNodeFactory.instance.objectNode().put("id", position);
        return new ChangeEvent(new EventId("p0-a", "0-1-" + position, "bin.000001", position * 100, 1, 0), 1,
                originServerId, "app", "accounts", key, Optional.ofNullable(row.get("uid")), op,
                op == Op.CREATE ? Optional.empty() : Optional.of(row),
                op == Op.DELETE ? Optional.empty() : Optional.of(row), Instant.EPOCH, Optional.ofNullable(statement));
    }

    @Test
    void purgeDeletesOfTheSiblingResidueAreClean() {
        audit.accept(event(Op.DELETE, 2L, TAG, 1));
        audit.accept(event(Op.DELETE, -2L, TAG, 1));
        audit.accept(event(Op.DELETE, 6L, TAG, 1));

        assertThat(audit.taggedDeletes()).isEqualTo(3);
        assertThat(audit.violations()).isZero();
    }

    @Test
    void untaggedReplicatedAndOtherTablesChangesAreNotThePurgesBusiness() {
        audit.accept(event(Op.DELETE, 4L, "DELETE FROM app.accounts WHERE id = 1", 1));
        audit.accept(event(Op.DELETE, 4L, null, 1));
        audit.accept(event(Op.DELETE, 4L, TAG, 2));
        audit.accept(event(Op.DELETE, 4L, TAG.replace("app.accounts", "app.other"), 1));
        audit.accept(event(Op.CREATE, 4L, TAG.replace("mitosis-purge", "mitosis-undo"), 1));

        assertThat(audit.taggedEvents()).isZero();
        assertThat(audit.violations()).isZero();
    }

    @Test
    void everyKindOfViolationIsCountedAndSampled() {
        audit.accept(event(Op.DELETE, 4L, TAG, 1));
        audit.accept(event(Op.DELETE, 1L, TAG, 1));
        audit.accept(event(Op.DELETE, null, TAG, 1));
        audit.accept(event(Op.UPDATE, 2L, TAG.replace("DELETE", "UPDATE"), 1));
        audit.accept(event(Op.CREATE, 2L, TAG.replace("DELETE", "INSERT"), 1));

        assertThat(audit.taggedEvents()).isEqualTo(5);
        assertThat(audit.taggedDeletes()).isEqualTo(3);
        assertThat(audit.violations()).isEqualTo(5);
        assertThat(audit.samples()).extracting(Violation::kind).containsExactly(Violation.OWNED_ROW_TOUCHED,
                Violation.NOT_PURGED_RESIDUE, Violation.NOT_PURGED_RESIDUE, Violation.NOT_A_DELETE,
                Violation.NOT_A_DELETE);
        assertThat(audit.samples().get(0).shardKey()).isEqualTo("4");
        assertThat(audit.samples().get(2).shardKey()).isNull();
    }

    @Test
    void samplesAreBoundedButTheCountIsExact() {
        for (int i = 0; i < PurgeAudit.SAMPLES + 5; i++) {
            audit.accept(event(Op.DELETE, 4L * i, TAG, 1));
        }

        assertThat(audit.violations()).isEqualTo(PurgeAudit.SAMPLES + 5);
        assertThat(audit.samples()).hasSize(PurgeAudit.SAMPLES);
    }
}
