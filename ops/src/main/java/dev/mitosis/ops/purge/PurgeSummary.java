package dev.mitosis.ops.purge;

import dev.mitosis.purger.InterlockResult;
import dev.mitosis.purger.PurgePlan;
import dev.mitosis.purger.PurgeReport;
import dev.mitosis.purger.ResidueCounts;
import dev.mitosis.purger.TablePlan;
import dev.mitosis.purger.TableResult;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The one JSON object {@code mitosis purge} prints on stdout, as maps in a stable key order. */
final class PurgeSummary {

    private PurgeSummary() {
    }

    static Map<String, Object> dryRun(int shard, PurgePlan plan, List<InterlockResult> interlocks) {
        Map<String, Object> summary = head(shard, plan.serverName(), true);
        summary.put("outcome", "DRY_RUN");
        summary.put("interlocks", interlocks(interlocks));
        summary.put("plan", plan(plan));
        summary.put("rowsDeleted", 0);
        return summary;
    }

    static Map<String, Object> refused(int shard, String server, List<InterlockResult> interlocks) {
        Map<String, Object> summary = head(shard, server, false);
        summary.put("outcome", PurgeReport.Outcome.REFUSED.name());
        summary.put("reason", "refused: " + String.join("; ", interlocks.stream().filter(r -> !r.holds())
                .map(InterlockResult::toString).toList()));
        summary.put("interlocks", interlocks(interlocks));
        summary.put("rowsDeleted", 0);
        return summary;
    }

    static Map<String, Object> run(int shard, String server, PurgeReport report) {
        Map<String, Object> summary = head(shard, server, false);
        summary.put("outcome", report.outcome().name());
        summary.put("reason", report.reason());
        summary.put("interlocks", interlocks(report.interlocks()));
        if (report.plan() != null) {
            summary.put("plan", plan(report.plan()));
        }
        List<Map<String, Object>> tables = new ArrayList<>();
        for (TableResult table : report.tables()) {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("table", table.table());
            t.put("rowsDeleted", table.rowsDeleted());
            t.put("rowsDeletedTotal", table.rowsDeletedTotal());
            t.put("resumedFrom", table.resumedFrom().orElse(null));
            t.put("finished", table.finished());
            table.remaining().ifPresent(r -> t.put("remaining", counts(r)));
            tables.add(t);
        }
        summary.put("tables", tables);
        summary.put("rowsDeleted", report.rowsDeleted());
        summary.put("archived", report.archive().archived());
        summary.put("archive", Map.of("position", report.archive().position(), "reason", report.archive().reason()));
        summary.put("elapsedMs", report.elapsedMs());
        return summary;
    }

    private static Map<String, Object> head(int shard, String server, boolean dryRun) {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("command", "purge");
        summary.put("shard", shard);
        summary.put("server", server);
        summary.put("dryRun", dryRun);
        return summary;
    }

    private static List<Map<String, Object>> interlocks(List<InterlockResult> results) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (InterlockResult r : results) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", r.name());
            m.put("holds", r.holds());
            m.put("reason", r.reason());
            list.add(m);
        }
        return list;
    }

    private static Map<String, Object> plan(PurgePlan plan) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("purgedResidue", plan.purgedResidue());
        m.put("keptResidue", plan.keptResidue());
        m.put("modulus", plan.modulus());
        m.put("estimatedRows", plan.estimatedRows());
        List<Map<String, Object>> tables = new ArrayList<>();
        for (TablePlan table : plan.tables()) {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("table", table.qualifiedName());
            t.put("shardKey", table.shardKey());
            t.put("primaryKey", table.primaryKey());
            t.put("estimatedRows", table.estimatedRows());
            table.counts().ifPresent(c -> t.put("counts", counts(c)));
            table.skipReason().ifPresent(r -> t.put("skipped", r));
            tables.add(t);
        }
        m.put("tables", tables);
        return m;
    }

    private static Map<String, Object> counts(ResidueCounts c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("purge", c.purge());
        m.put("keep", c.keep());
        m.put("misplaced", c.misplaced());
        m.put("nullKey", c.nullKey());
        return m;
    }
}
