package dev.mitosis.ops.bench;

import dev.mitosis.purger.PurgeSettings;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The purge issue's goals, read off the bench's rounds: mitosis unthrottled at least 1.2x pt-archiver's rows/s;
 * at the default throttle, foreground p99 at most 1.5x the baseline's and the partner's lag within
 * {@code purge.max.replica.lag.ms} in every round. Each gives the ratio of the medians and the per-round ratios
 * (round i against round i: they ran under much the same load).
 */
final class PurgeBenchGoals {

    static final double SPEED_GOAL = 1.2;
    static final double P99_GOAL = 1.5;

    private PurgeBenchGoals() {
    }

    static Map<String, Object> of(Map<String, BenchRounds> measured, PurgeSettings defaults) {
        Map<String, Object> goals = new LinkedHashMap<>();
        BenchRounds unthrottled = measured.get(PurgeBench.UNTHROTTLED);
        BenchRounds pt = measured.get(PurgeBench.PT_ARCHIVER);
        BenchRounds loop = measured.get(PurgeBench.DELETE_LOOP);
        BenchRounds baseline = measured.get(PurgeBench.BASELINE);
        BenchRounds throttled = measured.get(PurgeBench.DEFAULT_THROTTLE);
        if (unthrottled != null && pt != null) {
            goals.put("unthrottled_rows_per_s_over_pt_archiver",
                    ratio(unthrottled, pt, "rows_per_s", SPEED_GOAL, true));
        }
        if (unthrottled != null && loop != null) {
            goals.put("unthrottled_rows_per_s_over_delete_loop", ratio(unthrottled, loop, "rows_per_s", 0, true));
        }
        if (throttled != null && baseline != null) {
            goals.put("default_throttle_select_p99_over_baseline",
                    ratio(throttled, baseline, "select_p99_ms", P99_GOAL, false));
            goals.put("default_throttle_update_p99_over_baseline",
                    ratio(throttled, baseline, "update_p99_ms", P99_GOAL, false));
        }
        if (throttled != null) {
            Map<String, Object> lag = new LinkedHashMap<>();
            Optional<Double> max = throttled.max("partner_max_lag_ms");
            lag.put("max_ms", max.map(Double::longValue).orElse(null));
            lag.put("limit_ms", defaults.pauseReplicaLagMs());
            lag.put("met", max.map(m -> m <= defaults.pauseReplicaLagMs()).orElse(null));
            goals.put("default_throttle_partner_lag_within_limit", lag);
            throttled.median("rows_per_s").ifPresent(r -> goals.put("default_throttle_rows_per_s_median", r));
            goals.put("default_throttle_rows_per_s_cap", defaults.maxRowsPerSecond());
        }
        return goals;
    }

    /**
     * {@code a / b} on {@code field}: the ratio of the medians, the per-round ratios and their median; {@code met}
     * when the ratio of the medians is at least (higher is better) or at most {@code goal}, none when goal is 0.
     */
    private static Map<String, Object> ratio(BenchRounds a, BenchRounds b, String field, double goal,
                                             boolean higherIsBetter) {
        Map<String, Object> m = new LinkedHashMap<>();
        Optional<Double> ma = a.median(field);
        Optional<Double> mb = b.median(field);
        Optional<Double> ofMedians = ma.isPresent() && mb.isPresent() && mb.get() > 0
                ? Optional.of(BenchRounds.round2(ma.get() / mb.get())) : Optional.empty();
        m.put("ratio_of_medians", ofMedians.orElse(null));
        m.put("median_of_round_ratios", BenchRounds.medianPairedRatio(a, b, field).map(BenchRounds::round2)
                .orElse(null));
        m.put("round_ratios", BenchRounds.pairedRatios(a, b, field));
        if (goal > 0) {
            m.put("goal", (higherIsBetter ? ">= " : "<= ") + goal);
            m.put("met", ofMedians.map(r -> higherIsBetter ? r >= goal : r <= goal).orElse(null));
        }
        return m;
    }
}
