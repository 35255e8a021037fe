package dev.mitosis.ops.prove;

import dev.mitosis.purger.ResidueCounts;
import dev.mitosis.purger.proof.ProofReport;
import dev.mitosis.purger.proof.TableProof;
import dev.mitosis.purger.proof.Violation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The one JSON object {@code mitosis prove} prints on stdout, as maps in a stable key order. */
final class ProofSummary {

    private ProofSummary() {
    }

    static Map<String, Object> of(ProofReport report) {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("command", "prove");
        summary.put("shard", report.newShard());
        summary.put("server", report.server());
        summary.put("verdict", report.verdict().name());
        summary.put("purgedResidue", report.purgedResidue());
        summary.put("keptResidue", report.keptResidue());
        summary.put("serverGtid", report.serverGtid());
        summary.put("captureCovers", report.captureGap().isEmpty());
        summary.put("captureGap", report.captureGap().orElse(null));
        List<Map<String, Object>> tables = new ArrayList<>();
        for (TableProof table : report.tables()) {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("table", table.table());
            t.put("verdict", table.verdict().name());
            t.put("remaining", table.remaining().purge());
            t.put("counts", counts(table.remaining()));
            t.put("reportedDeleted", table.reportedDeleted());
            t.put("purgeFinished", table.purgeFinished());
            t.put("archiveTopic", table.archiveTopic());
            t.put("taggedDeletes", table.taggedDeletes());
            t.put("taggedEvents", table.taggedEvents());
            t.put("violations", table.violations());
            List<Map<String, Object>> samples = new ArrayList<>();
            for (Violation v : table.violationSamples()) {
                Map<String, Object> s = new LinkedHashMap<>();
                s.put("kind", v.kind());
                s.put("event", v.event());
                s.put("op", v.op());
                s.put("primaryKey", v.primaryKey());
                s.put("shardKey", v.shardKey());
                samples.add(s);
            }
            t.put("violationSamples", samples);
            t.put("reasons", table.reasons());
            tables.add(t);
        }
        summary.put("tables", tables);
        return summary;
    }

    static Map<String, Object> unreachable(int shard, String server, String error) {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("command", "prove");
        summary.put("shard", shard);
        summary.put("server", server);
        summary.put("verdict", "CANNOT_TELL");
        summary.put("reason", "cannot query " + server + ": " + error);
        summary.put("tables", List.of());
        return summary;
    }

    private static Map<String, Object> counts(ResidueCounts c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("purgedResidue", c.purge());
        m.put("owned", c.keep());
        m.put("misplaced", c.misplaced());
        m.put("nullKey", c.nullKey());
        return m;
    }
}
