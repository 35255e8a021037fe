package dev.mitosis.verifier.internal;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChunkDigestTest {

    @Test
    void aRowChangedAlikeOnBothSidesLeavesTheDeltaUnchanged() {
        long rowX = 0x1234L;
        long rowY = 0x0F0FL;
        long changedRow = 0x7777L;
        ChunkDigest a = new ChunkDigest(2, rowX ^ rowY, 0, 1);
        ChunkDigest a0 = new ChunkDigest(1, rowX, 0, 1);
        ChunkDigest aLater = new ChunkDigest(2, rowX ^ rowY ^ changedRow, 0, 1);
        ChunkDigest a0Later = new ChunkDigest(1, rowX ^ changedRow, 0, 1);
        assertThat(a.sameRows(a0)).isFalse();
        assertThat(aLater.deltaFrom(a0Later)).isEqualTo(a.deltaFrom(a0));
    }

    @Test
    void anOrderedDigestNeverCountsAsTheSameRowsAsAPerRowOneAndHasNoDelta() {
        ChunkDigest ordered = new ChunkDigest(3, 0x1234L, 0x5678L, 1, true);
        ChunkDigest perRow = new ChunkDigest(3, 0x1234L, 0x5678L, 1);
        assertThat(ordered.sameRows(new ChunkDigest(3, 0x1234L, 0x5678L, 9, true))).isTrue();
        assertThat(ordered.sameRows(perRow)).isFalse();
        assertThat(perRow.sameRows(ordered)).isFalse();
        assertThatThrownBy(() -> ordered.deltaFrom(ordered)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("per-row digest");
    }
}
