package dev.mitosis.ops.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The demo's closing table, as text lines for stderr: steps and timings, rows before and after, load, losses. */
final class DemoTable {

    private DemoTable() {
    }

    static List<String> lines(DemoOutcome o) {
        List<String> out = new ArrayList<>();
        out.add("");
        out.add("step         status     seconds");
        for (Timeline.Step s : o.steps()) {
            out.add(f("%-12s %-8s %9.1f", s.name(), s.status(), s.seconds()));
        }
        out.add(f("%-12s %-8s %9.1f", "total", o.passed() ? "PASS" : "FAIL", o.seconds()));
        out.add("");
        out.add("old shard  A          rows before  A0         rows before");
        for (DemoOutcome.OldShard s : o.oldShards()) {
            out.add(f("%-10d %-10s %11d  %-10s %11d", s.shard(), s.a(), s.aRows(), s.a0(), s.a0Rows()));
        }
        if (!o.newShards().isEmpty()) {
            out.add("");
            out.add("new shard  server     rows after  not owned  HA partner             partner rows  missing  stale");
            for (DemoOutcome.NewShard s : o.newShards()) {
                out.add(f("%-10d %-10s %10d %10d  %-22s %12s %8d %6d", s.shard(), s.server(), s.rowsAfter(),
                        s.notOwned(), s.partner() == null ? "-" : s.partner(),
                        s.partnerRows() == null ? "-" : String.valueOf(s.partnerRows()), s.missing(), s.stale()));
            }
        }
        out.add("");
        DemoOutcome.Load l = o.load();
        if (l != null) {
            out.add(f("writes during the split   %d (%d inserts, %d updates, %d deletes; %d after the flip)",
                    l.writes(), l.inserts(), l.updates(), l.deletes(), Math.max(0, l.writesAfterFlip())));
            out.add(f("reads during the split    %d (%.0f ops/s over %.0f s; %d stale own reads)", l.reads(),
                    l.opsPerSecond(), l.seconds(), l.staleReads()));
            out.add(f("load-generator errors     %d%s", l.errors(), l.errorSamples().isEmpty() ? ""
                    : "  e.g. " + l.errorSamples().get(0)));
        } else {
            out.add("load-generator errors     - (the load never started)");
        }
        out.add(o.rowsLost() < 0 ? "rows lost                 unknown (the loss check could not run)"
                : f("rows lost                 %d (of %d rows checked on their owner shard; %d deleted rows back)",
                        o.rowsLost(), o.expectedRows(), o.rowsResurrected()));
        o.lossSamples().forEach(s -> out.add("  " + s));
        out.add("");
        out.add(o.passed() ? "DEMO PASSED: the split held under load and the proof holds"
                : "DEMO FAILED: " + (o.failure() != null ? o.failure() : "errors or lost rows above"));
        out.add("report: " + o.report());
        return out;
    }

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
