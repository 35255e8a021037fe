package dev.mitosis.purger.internal;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

/** Chunk sizes follow the target time; the rows/s cap spaces chunks out and can change while running. */
class PacingTest {

    @Test
    void chunkSizeGrowsWhenFastShrinksWhenSlowAtMostTwofoldAndWithinBounds() {
        ChunkSizer sizer = new ChunkSizer(100, 100, 1000);

        sizer.observe(100, 10);
        assertThat(sizer.current()).isEqualTo(200);
        sizer.observe(200, 100);
        assertThat(sizer.current()).isEqualTo(200);
        sizer.observe(200, 1000);
        assertThat(sizer.current()).isEqualTo(100);
        for (int i = 0; i < 10; i++) {
            sizer.observe(sizer.current(), 1);
        }
        assertThat(sizer.current()).isEqualTo(1000);
        assertThat(sizer.rows(300)).isEqualTo(300);
        assertThat(sizer.rows(0)).isEqualTo(1000);
    }

    @Test
    void aShortLastChunkTeachesNothing() {
        ChunkSizer sizer = new ChunkSizer(100, 100, 1000);

        sizer.observe(3, 1);

        assertThat(sizer.current()).isEqualTo(100);
    }

    @Test
    void paceSpacesChunksByTheirRowsAndTheCapIsATunable() {
        Clock at1000 = Clock.fixed(Instant.ofEpochMilli(1000), ZoneOffset.UTC);
        RatePacer pacer = new RatePacer(at1000, 100);

        pacer.record(1000, 50);
        assertThat(pacer.waitMs()).isEqualTo(500);
        assertThat(pacer.setRowsPerSecond(1000)).isEqualTo(100);
        pacer.record(1000, 50);
        assertThat(pacer.waitMs()).isEqualTo(50);
        pacer.setRowsPerSecond(0);
        pacer.record(1000, 50);
        assertThat(pacer.waitMs()).isZero();
    }
}
