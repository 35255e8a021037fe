package dev.mitosis.ops.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The rounds of one benchmark scenario and their medians. A shared 2-core machine swings timings 2-5x, so a number
 * worth reading is the median of rounds run alternately with the other contenders, not one run.
 */
public final class BenchRounds {

    private final List<Map<String, Object>> rounds = new ArrayList<>();

    public void add(Map<String, Object> round) {
        rounds.add(round);
    }

    public List<Map<String, Object>> rounds() {
        return List.copyOf(rounds);
    }

    /** The median of a numeric field over the rounds that have it. */
    public Optional<Double> median(String field) {
        double[] values = rounds.stream().filter(r -> r.get(field) instanceof Number)
                .mapToDouble(r -> ((Number) r.get(field)).doubleValue()).sorted().toArray();
        return values.length == 0 ? Optional.empty() : Optional.of(median(values));
    }

    /** The largest value of a numeric field over the rounds. */
    public Optional<Double> max(String field) {
        return rounds.stream().filter(r -> r.get(field) instanceof Number)
                .map(r -> ((Number) r.get(field)).doubleValue()).max(Double::compare);
    }

    /** The medians of {@code fields}, those present. */
    public Map<String, Object> medians(List<String> fields) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (String field : fields) {
            median(field).ifPresent(v -> m.put(field, round2(v)));
        }
        return m;
    }

    /** The JSON of the scenario: every round, then the medians. */
    public Map<String, Object> toJson(List<String> medianFields) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rounds", rounds());
        m.put("median", medians(medianFields));
        return m;
    }

    /**
     * The median of the per-round ratios {@code a[field] / b[field]}, round i of one against round i of the other:
     * two contenders of one round ran minutes apart, under much the same load.
     */
    public static Optional<Double> medianPairedRatio(BenchRounds a, BenchRounds b, String field) {
        List<Double> ratios = pairedRatios(a, b, field);
        return ratios.isEmpty() ? Optional.empty()
                : Optional.of(median(ratios.stream().mapToDouble(Double::doubleValue).sorted().toArray()));
    }

    /** Round i of {@code a} over round i of {@code b}, rounded to 2 decimals, for rounds where both have the field. */
    public static List<Double> pairedRatios(BenchRounds a, BenchRounds b, String field) {
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < Math.min(a.rounds.size(), b.rounds.size()); i++) {
            Object x = a.rounds.get(i).get(field);
            Object y = b.rounds.get(i).get(field);
            if (x instanceof Number nx && y instanceof Number ny && ny.doubleValue() > 0) {
                ratios.add(round2(nx.doubleValue() / ny.doubleValue()));
            }
        }
        return ratios;
    }

    public static double median(double[] sorted) {
        double[] s = sorted.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    public static double round2(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
