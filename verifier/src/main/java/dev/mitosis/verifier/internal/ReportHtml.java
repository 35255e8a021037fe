package dev.mitosis.verifier.internal;

import dev.mitosis.verifier.PairReport;
import dev.mitosis.verifier.RowDifference;
import dev.mitosis.verifier.TableCoverage;
import dev.mitosis.verifier.TableReport;
import dev.mitosis.verifier.Verdict;

import java.util.Locale;

/** report.html: one self-contained page with the verdict, per-table status, samples and a map of chunks. */
public final class ReportHtml {

    private ReportHtml() {
    }

    static String escape(String text) {
        if (text == null) {
            return "";
        }
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static String color(Verdict v) {
        return switch (v) {
            case PASS -> "#1a7f37";
            case FAIL -> "#cf222e";
            case UNKNOWN -> "#9a6700";
        };
    }

    public static String render(PairReport r) {
        StringBuilder h = new StringBuilder("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>mitosis verify pair ")
                .append(r.pair()).append("</title><style>body{font-family:sans-serif;margin:2em}table{border-collapse:"
                        + "collapse}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left}.map{font-family:monospace;"
                        + "word-break:break-all}.s{color:#1a7f37}.d{color:#cf222e;font-weight:bold}.h,.u{color:#9a6700;"
                        + "font-weight:bold}code{font-size:90%}</style></head><body>");
        h.append("<h1>Pair ").append(r.pair()).append(": <span style=\"color:").append(color(r.verdict())).append("\">")
                .append(r.verdict()).append("</span></h1>");
        h.append("<p>").append(escape(r.serverA())).append(" ⇄ ").append(escape(r.serverA0())).append(" — holds for ")
                .append(escape(r.finishedAt())).append(" at GTID <code>").append(escape(r.gtidA())).append("</code> / <code>")
                .append(escape(r.gtidA0())).append("</code>; took ")
                .append(String.format(Locale.ROOT, "%.1f s", r.durationMs() / 1000.0))
                .append(r.resumed() ? " (resumed)" : "").append("</p>");
        PairReport.Totals s = r.totals();
        h.append("<p>Coverage: ").append(s.tablesCompared()).append(" of ").append(s.tablesInScope())
                .append(" table(s) compared, ").append(s.tablesSkipped()).append(" skipped; rows A ").append(s.rowsA())
                .append(", A0 ").append(s.rowsA0()).append("; chunks ").append(s.chunksCompared()).append(" (hot ")
                .append(s.chunksHot()).append(", unverified ").append(s.chunksUnverified()).append("); differing rows ")
                .append(s.differences()).append("</p>");
        if (!r.reasons().isEmpty()) {
            h.append("<ul>");
            r.reasons().forEach(reason -> h.append("<li>").append(escape(reason)).append("</li>"));
            h.append("</ul>");
        }
        if (!r.notes().isEmpty()) {
            h.append("<p>notes:</p><ul>");
            r.notes().forEach(note -> h.append("<li>").append(escape(note)).append("</li>"));
            h.append("</ul>");
        }
        h.append("<table><tr><th>table</th><th>verdict</th><th>rows A / A0</th><th>chunks</th><th>differences</th>"
                + "<th>notes</th></tr>");
        for (TableReport t : r.tables()) {
            TableCoverage c = t.coverage();
            h.append("<tr><td>").append(escape(t.table())).append("</td><td style=\"color:").append(color(t.verdict()))
                    .append("\">").append(t.verdict()).append("</td><td>").append(c.rowsA()).append(" / ").append(c.rowsA0())
                    .append("</td><td>").append(c.chunksCompared()).append("</td><td>").append(t.differences())
                    .append("</td><td>").append(escape(String.join("; ", t.reasons()))).append("</td></tr>");
        }
        h.append("</table>");
        for (TableReport t : r.tables()) {
            h.append("<h2>").append(escape(t.table())).append("</h2>");
            if (!t.chunkMap().isEmpty()) {
                h.append("<p>Chunks in key order (. same, D different, H hot, U unverified):</p><p class=\"map\">");
                for (char ch : t.chunkMap().toCharArray()) {
                    String cls = switch (ch) {
                        case 'D' -> "d";
                        case 'H' -> "h";
                        case 'U' -> "u";
                        default -> "s";
                    };
                    h.append("<span class=\"").append(cls).append("\">").append(ch).append("</span>");
                }
                h.append("</p>");
            }
            if (!t.samples().isEmpty()) {
                h.append("<table><tr><th>key</th><th>kind</th><th>columns</th><th>A</th><th>A0</th><th>repair on A0</th></tr>");
                for (RowDifference d : t.samples()) {
                    h.append("<tr><td>").append(escape(String.valueOf(d.key()))).append("</td><td>").append(d.kind())
                            .append("</td><td>").append(escape(String.valueOf(d.columns()))).append("</td><td>")
                            .append(escape(String.valueOf(d.valuesA()))).append("</td><td>")
                            .append(escape(String.valueOf(d.valuesA0()))).append("</td><td><code>")
                            .append(escape(d.repairOnA0())).append("</code></td></tr>");
                }
                h.append("</table>");
            }
        }
        return h.append("</body></html>\n").toString();
    }
}
