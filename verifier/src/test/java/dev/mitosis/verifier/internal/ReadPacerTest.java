package dev.mitosis.verifier.internal;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class ReadPacerTest {

    @Test
    void theBusierServerIsNamedOnlyWhenOverTheThreshold() {
        assertThat(ReadPacer.busy(8, 8, "a", "a0", 8)).isEmpty();
        assertThat(ReadPacer.busy(3, 9, "a", "a0", 8)).contains("a0 Threads_running 9 > verify.max.threads.running 8");
        assertThat(ReadPacer.busy(12, 9, "a", "a0", 8)).contains("a Threads_running 12 > verify.max.threads.running 8");
    }

    @Test
    void aChunkOverTwiceTheTargetEarnsARestAsLongAsItTookBounded() {
        assertThat(ReadPacer.restAfter(1_000, 500)).as("twice the target is still in bounds").isEmpty();
        assertThat(ReadPacer.restAfter(1_001, 500)).contains(Duration.ofMillis(1_001));
        assertThat(ReadPacer.restAfter(60_000, 500)).contains(ReadPacer.MAX_REST);
        assertThat(ReadPacer.restAfter(3, 0)).as("a zero target is read as 1 ms").isEqualTo(Optional.of(Duration.ofMillis(3)));
    }
}
