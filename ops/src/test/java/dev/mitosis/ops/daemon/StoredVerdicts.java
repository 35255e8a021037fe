package dev.mitosis.ops.daemon;

import dev.mitosis.connectors.topology.MitosisConfig;
import dev.mitosis.connectors.topology.MitosisConfigLoader;
import dev.mitosis.verifier.KafkaVerdictStore;
import dev.mitosis.verifier.PairReport;
import dev.mitosis.verifier.RowDifference;
import dev.mitosis.verifier.TableReport;
import dev.mitosis.verifier.Verdict;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Pair 0's verdict as the daemons stored it for the gate, and what the daemon ITs compare of it. */
final class StoredVerdicts {

    private StoredVerdicts() {
    }

    /** The latest stored verdict of pair 0 in the fleet of {@code config}. */
    static PairReport latest(Path config) {
        MitosisConfig loaded = MitosisConfigLoader.withSystemEnvironment().load(config);
        KafkaVerdictStore store = new KafkaVerdictStore(loaded.kafka());
        try {
            return store.latest(0).orElseThrow();
        } finally {
            store.close();
        }
    }

    /** The differing rows' keys of each failing table, sorted (verdicts merged from parts list them in any order). */
    static Map<String, List<String>> failingRows(PairReport report) {
        Map<String, List<String>> rows = new TreeMap<>();
        for (TableReport t : report.tables()) {
            if (t.verdict() == Verdict.FAIL) {
                rows.put(t.table(), t.samples().stream().map(RowDifference::key).map(Object::toString).sorted()
                        .toList());
            }
        }
        return rows;
    }
}
