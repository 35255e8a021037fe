package dev.mitosis.connectors.work;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Units land on the same partition in every process, and spread over the partitions. */
class WorkUnitsTest {

    @Test
    void aUnitsPartitionIsFixedByItsName() {
        // CRC32("purge/2/app.users") is a property of the name, not of this JVM: every daemon computes the same.
        int p = WorkUnits.partitionOf("purge/2/app.users", 12);
        assertThat(WorkUnits.partitionOf(WorkUnits.purgeUnit(2, "app.users"), 12)).isEqualTo(p);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update("purge/2/app.users".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(p).isEqualTo((int) (crc.getValue() % 12));
    }

    @Test
    void unitsSpreadOverThePartitions() {
        Set<Integer> used = new HashSet<>();
        for (int t = 0; t < 200; t++) {
            int p = WorkUnits.partitionOf(WorkUnits.purgeUnit(t % 4, "app.t" + t), 8);
            assertThat(p).isBetween(0, 7);
            used.add(p);
        }
        assertThat(used).hasSize(8);
        assertThat(WorkUnits.partitionOf("x", 1)).isZero();
        assertThatThrownBy(() -> WorkUnits.partitionOf("x", 0)).hasMessageContaining("partitions 0");
    }

    @Test
    void verifyUnitsNameThePairAndTheTableAndTheMergeIsAUnitOfItsOwn() {
        assertThat(WorkUnits.verifyUnit(3, "app.users")).isEqualTo("verify/3/app.users");
        assertThat(WorkUnits.verifyMergeUnit(3)).isEqualTo("verify/3/merge");
        // No table is named "merge" with a schema, so the merge unit is never a table's unit.
        assertThat(WorkUnits.verifyMergeUnit(3)).isNotEqualTo(WorkUnits.verifyUnit(3, "app.merge"));
    }
}
