package dev.mitosis.verifier.internal;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

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
}
