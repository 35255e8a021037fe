package dev.mitosis.verifier.internal;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class IntegerKeyStepsTest {

    private static KeyBound at(long key) {
        return new KeyBound(List.of(BigDecimal.valueOf(key)));
    }

    @Test
    void stepsByTheDensityTheLastChunkSawAndLeavesTheChunkReachingTheHighestKeyOpenAbove() {
        // 1000 rows over 2000 key values: every other key is a row.
        IntegerKeySteps steps = new IntegerKeySteps(BigDecimal.valueOf(100_000), BigDecimal.valueOf(2000), 1000);
        assertThat(steps.upper(at(2000), 2000)).contains(at(6000));
        steps.held(2000, 2000);
        assertThat(steps.upper(at(6000), 1000)).contains(at(8000));
        steps.held(1000, 1000);
        assertThat(steps.upper(at(99_000), 1000)).isEqualTo(Optional.empty());
    }

    @Test
    void sparseChunksAtMostDoubleTheStepSoADenseStretchIsNotSwallowedAtOnce() {
        IntegerKeySteps steps = new IntegerKeySteps(BigDecimal.valueOf(1_000_000_000L), BigDecimal.valueOf(10), 10);
        steps.held(10, 0);
        assertThat(steps.upper(at(10), 1_000_000)).contains(at(30));
        steps.held(1_000_000, 1);
        assertThat(steps.upper(at(30), 1_000_000)).contains(at(70));
    }

    @Test
    void aChunkFarFullerThanAskedEndsTheStepping() {
        IntegerKeySteps steps = new IntegerKeySteps(BigDecimal.valueOf(1_000_000), BigDecimal.valueOf(100), 100);
        steps.held(100, 400);
        assertThat(steps.usable()).isTrue();
        steps.held(100, 401);
        assertThat(steps.usable()).isFalse();
    }
}
