package dev.mitosis.verifier.internal;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ChunkSizerTest {

    private final ChunkSizer sizer = new ChunkSizer(500, 10_000);

    @Test
    void growsAtMostTwofoldWhenFast() {
        assertThat(sizer.next(1000, 10)).isEqualTo(2000);
        assertThat(sizer.next(1000, 400)).isEqualTo(1250);
    }

    @Test
    void shrinksAtMostByHalfWhenSlow() {
        assertThat(sizer.next(1000, 5000)).isEqualTo(500);
        assertThat(sizer.next(1000, 625)).isEqualTo(800);
    }

    @Test
    void staysWithinOneAndTheMaximum() {
        assertThat(sizer.next(8000, 1)).isEqualTo(10_000);
        assertThat(sizer.next(1, 10_000)).isEqualTo(1);
    }
}
