package dev.mitosis.purger;

import dev.mitosis.connectors.topology.PurgeKeys;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The purge section's defaults, and the cross-key rule that abort thresholds sit above pause ones. */
class PurgeSettingsTest {

    @Test
    void defaultsComeFromTheDeclarations() {
        PurgeSettings defaults = PurgeSettings.defaults();

        assertThat(defaults.chunkTargetMs()).isEqualTo(50);
        assertThat(defaults.maxRowsPerSecond()).isEqualTo(5_000);
        assertThat(defaults.pauseReplicaLagMs()).isLessThan(defaults.abortReplicaLagMs());
        assertThat(defaults.pauseFile()).isEmpty();
        assertThat(PurgeKeys.definition().names()).contains("chunk.target.ms", "max.rows.per.second",
                "max.replica.lag.ms", "abort.replica.lag.ms", "max.threads.running", "quiet.window.ms", "pause.file");
    }

    @Test
    void abortAtOrBelowPauseIsRejectedNamingBothKeys() {
        assertThatThrownBy(() -> PurgeSettings.defaults().withReplicaLagMs(1000, 1000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("purge.abort.replica.lag.ms 1000 must be above purge.max.replica.lag.ms 1000");
    }
}
