package dev.mitosis.verifier.internal;

import dev.mitosis.verifier.PairReport;
import dev.mitosis.verifier.RowDifference;
import dev.mitosis.verifier.TableCoverage;
import dev.mitosis.verifier.TableReport;

import java.util.Locale;

/** report.txt: the verdict as an operator reads it in a terminal. */
public final class ReportText {

    private ReportText() {
    }

    public static String render(PairReport r) {
        StringBuilder t = new StringBuilder();
        t.append(String.format(Locale.ROOT, "mitosis verify — pair %d (%s ⇄ %s): %s%n", r.pair(), r.serverA(),
                r.serverA0(), r.verdict()));
        t.append(String.format(Locale.ROOT, "holds for: %s at GTID %s = [%s], %s = [%s]%n", r.finishedAt(), r.serverA(),
                r.gtidA(), r.serverA0(), r.gtidA0()));
        t.append(String.format(Locale.ROOT, "started %s, took %.1f s%s%n", r.startedAt(), r.durationMs() / 1000.0,
                r.resumed() ? " (resumed from a checkpoint)" : ""));
        PairReport.Totals s = r.totals();
        t.append(String.format(Locale.ROOT, "coverage: %d table(s) in scope, %d compared, %d skipped; rows A %d, A0 %d;"
                + " chunks %d (hot %d, unverified %d); differing rows %d%n", s.tablesInScope(), s.tablesCompared(),
                s.tablesSkipped(), s.rowsA(), s.rowsA0(), s.chunksCompared(), s.chunksHot(), s.chunksUnverified(),
                s.differences()));
        for (String reason : r.reasons()) {
            t.append("  ! ").append(reason).append('\n');
        }
        for (String note : r.notes()) {
            t.append("  note: ").append(note).append('\n');
        }
        for (TableReport table : r.tables()) {
            TableCoverage c = table.coverage();
            t.append('\n').append(String.format(Locale.ROOT, "%-7s %s%n", table.verdict(), table.table()));
            if (c.skipped() == null) {
                t.append(String.format(Locale.ROOT, "        rows A %d, A0 %d; chunks %d (same %d, different %d, hot %d,"
                        + " unverified %d); rows not covered A %d, A0 %d; %d ms%n", c.rowsA(), c.rowsA0(),
                        c.chunksCompared(), c.chunksSame(), c.chunksDifferent(), c.chunksHot(), c.chunksUnverified(),
                        c.rowsNotCoveredA(), c.rowsNotCoveredA0(), table.durationMs()));
            }
            for (String reason : table.reasons()) {
                t.append("        ! ").append(reason).append('\n');
            }
            for (RowDifference d : table.samples()) {
                t.append("        ").append(d.kind()).append(' ').append(d.key()).append(" columns ").append(d.columns())
                        .append('\n');
                if (d.valuesA() != null) {
                    t.append("          A : ").append(d.valuesA()).append('\n');
                }
                if (d.valuesA0() != null) {
                    t.append("          A0: ").append(d.valuesA0()).append('\n');
                }
                t.append("          repair on A0: ").append(d.repairOnA0()).append(";\n");
            }
            if (table.differences() > table.samples().size()) {
                t.append("        … and ").append(table.differences() - table.samples().size())
                        .append(" more: run with --diff-file to list every one\n");
            }
        }
        return t.toString();
    }
}
