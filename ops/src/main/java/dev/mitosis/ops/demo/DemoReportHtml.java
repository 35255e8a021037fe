package dev.mitosis.ops.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/** {@code D/demo-report.html}: the whole split for a person: steps, commands, timings, rows, load, losses. */
final class DemoReportHtml {

    static final String FILE = "demo-report.html";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private DemoReportHtml() {
    }

    static Path write(Path dir, DemoOutcome o) {
        Path file = dir.resolve(FILE);
        try {
            Files.writeString(file, render(o), StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    static String render(DemoOutcome o) {
        StringBuilder h = new StringBuilder();
        h.append("<!doctype html><html><head><meta charset=\"utf-8\"><title>mitosis demo: ")
                .append(o.passed() ? "PASS" : "FAIL").append("</title><style>")
                .append("body{font-family:system-ui,sans-serif;margin:2em;max-width:75em}")
                .append("table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:.3em .6em;")
                .append("text-align:right}td:first-child,th:first-child{text-align:left}")
                .append(".ok{color:#060}.bad{color:#a00;font-weight:bold}pre{background:#f4f4f4;padding:.5em;")
                .append("overflow-x:auto;font-size:85%}</style></head><body>");
        h.append("<h1>mitosis demo: <span class=\"").append(o.passed() ? "ok\">PASS" : "bad\">FAIL")
                .append("</span></h1>");
        h.append("<p>A sandbox of ").append(o.oldShards().size()).append(" dual-master pairs split to ")
                .append(2 * o.oldShards().size()).append(" shards under live load, in ")
                .append(f("%.1f", o.seconds())).append(" s. Sandbox dir: <code>").append(esc(o.dir()))
                .append("</code>.</p>");
        if (o.failure() != null) {
            h.append("<p class=\"bad\">").append(esc(o.failure())).append("</p>");
        }
        h.append("<h2>Steps</h2><table><tr><th>#</th><th>step</th><th>status</th><th>seconds</th><th>what it showed</th></tr>");
        for (Timeline.Step s : o.steps()) {
            h.append("<tr><td>").append(s.number()).append("</td><td>").append(s.name()).append("</td><td class=\"")
                    .append(s.ok() ? "ok" : "bad").append("\">").append(s.status()).append("</td><td>")
                    .append(f("%.1f", s.seconds())).append("</td><td style=\"text-align:left\">").append(esc(s.detail()))
                    .append("<br><small><code>").append(esc(String.join("\n", s.commands())).replace("\n", "<br>"))
                    .append("</code></small></td></tr>");
        }
        h.append("</table>");
        h.append("<h2>Rows before (old shards)</h2><table><tr><th>old shard</th><th>A</th><th>rows</th><th>A0</th>")
                .append("<th>rows</th></tr>");
        for (DemoOutcome.OldShard s : o.oldShards()) {
            h.append("<tr><td>").append(s.shard()).append("</td><td>").append(esc(s.a())).append("</td><td>")
                    .append(s.aRows()).append("</td><td>").append(esc(s.a0())).append("</td><td>").append(s.a0Rows())
                    .append("</td></tr>");
        }
        h.append("</table>");
        if (!o.newShards().isEmpty()) {
            h.append("<h2>Rows after (new shards)</h2><table><tr><th>new shard</th><th>server</th><th>rows</th>")
                    .append("<th>not owned</th><th>HA partner</th><th>partner rows</th><th>missing</th><th>stale</th></tr>");
            for (DemoOutcome.NewShard s : o.newShards()) {
                h.append("<tr><td>").append(s.shard()).append("</td><td>").append(esc(s.server())).append("</td><td>")
                        .append(s.rowsAfter()).append("</td><td>").append(s.notOwned()).append("</td><td>")
                        .append(esc(s.partner() == null ? "-" : s.partner())).append("</td><td>")
                        .append(s.partnerRows() == null ? "-" : s.partnerRows()).append("</td><td>").append(s.missing())
                        .append("</td><td>").append(s.stale()).append("</td></tr>");
            }
            h.append("</table>");
        }
        h.append("<h2>Load and losses</h2><pre>").append(esc(String.join("\n",
                DemoTable.lines(o).stream().filter(l -> l.startsWith("writes") || l.startsWith("reads")
                        || l.startsWith("load") || l.startsWith("rows lost") || l.startsWith("  ")).toList())))
                .append("</pre>");
        h.append("<p>Verifier reports: <code>").append(esc(Path.of(o.dir(), "reports").toString()))
                .append("/pair-P/report.html</code>. Logs of every command: <code>")
                .append(esc(Path.of(o.dir(), "demo-logs").toString())).append("</code>.</p>");
        h.append("<h2>Command summaries</h2>");
        for (Map.Entry<String, Object> e : o.commandSummaries().entrySet()) {
            h.append("<details><summary>").append(esc(e.getKey())).append("</summary><pre>").append(esc(json(e.getValue())))
                    .append("</pre></details>");
        }
        h.append("</body></html>\n");
        return h.toString();
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            return String.valueOf(value);
        }
    }

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }

    static String esc(String s) {
        return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
