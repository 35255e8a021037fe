package dev.mitosis.ops.bench;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Medians and per-round ratios of the bench: what the purge bench's goals are read from. */
class BenchRoundsTest {

    @Test
    void medianOfOddAndEvenRoundsIgnoringRoundsWithoutTheField() {
        BenchRounds r = rounds(30.0, 10.0, 20.0);
        r.add(Map.of("other", 1));

        assertThat(r.median("rows_per_s")).contains(20.0);
        assertThat(rounds(10.0, 40.0).median("rows_per_s")).contains(25.0);
        assertThat(r.max("rows_per_s")).contains(30.0);
        assertThat(r.median("missing")).isEmpty();
    }

    @Test
    void ratiosPairRoundIWithRoundI() {
        BenchRounds mitosis = rounds(60.0, 30.0, 45.0);
        BenchRounds pt = rounds(50.0, 20.0, 50.0);

        assertThat(BenchRounds.pairedRatios(mitosis, pt, "rows_per_s")).containsExactly(1.2, 1.5, 0.9);
        assertThat(BenchRounds.medianPairedRatio(mitosis, pt, "rows_per_s")).contains(1.2);
    }

    @Test
    void goalsCompareMediansAndLagWithTheLimit() {
        BenchRounds baseline = new BenchRounds();
        BenchRounds throttled = new BenchRounds();
        for (double p99 : new double[] {4, 5, 6}) {
            baseline.add(Map.of("select_p99_ms", p99, "update_p99_ms", p99));
            throttled.add(Map.of("select_p99_ms", p99 * 2, "update_p99_ms", p99, "partner_max_lag_ms", 300 * p99));
        }

        Map<String, Object> goals = PurgeBenchGoals.of(Map.of(PurgeBench.BASELINE, baseline,
                PurgeBench.DEFAULT_THROTTLE, throttled), dev.mitosis.purger.PurgeSettings.defaults());

        assertThat(goal(goals, "default_throttle_select_p99_over_baseline"))
                .containsEntry("ratio_of_medians", 2.0).containsEntry("met", false);
        assertThat(goal(goals, "default_throttle_update_p99_over_baseline"))
                .containsEntry("ratio_of_medians", 1.0).containsEntry("met", true);
        assertThat(goal(goals, "default_throttle_partner_lag_within_limit"))
                .containsEntry("max_ms", 1800L).containsEntry("limit_ms", 1000L).containsEntry("met", false);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> goal(Map<String, Object> goals, String name) {
        return (Map<String, Object>) goals.get(name);
    }

    private static BenchRounds rounds(double... rowsPerSecond) {
        BenchRounds r = new BenchRounds();
        for (double v : rowsPerSecond) {
            r.add(Map.of("rows_per_s", v));
        }
        return r;
    }
}
