package dev.mitosis.verifier;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A pair's verdict from parts verified apart — each daemon of a work group verifies the tables whose work unit it
 * owns and reports them as a part. Per table the newest part that covers it counts. The pair is FAIL if any table
 * is; PASS only if every table of the scope has a PASS; otherwise UNKNOWN, naming the tables no part covers yet, so
 * a table nobody verified can never make a PASS. The merged verdict holds for the oldest part it uses (its time and
 * GTID positions), so its age at the gate is that of its oldest evidence.
 */
public final class VerdictMerge {

    /** The reason of a table in scope that no part covers. */
    public static final String NOT_VERIFIED = "not verified by any daemon of the work group yet";

    private VerdictMerge() {
    }

    /**
     * @param pair  the pair
     * @param scope every table ({@code schema.table}) the pair's verdict must cover
     * @param parts the parts' newest reports, in any order
     */
    public static PairReport merge(int pair, List<String> scope, Collection<PairReport> parts) {
        Map<String, PairReport> partOf = new LinkedHashMap<>();
        Map<String, TableReport> tableOf = new LinkedHashMap<>();
        List<PairReport> newestFirst = parts.stream().filter(p -> p.pair() == pair)
                .sorted(Comparator.comparing((PairReport p) -> Instant.parse(p.finishedAt())).reversed()).toList();
        for (PairReport part : newestFirst) {
            for (TableReport t : part.tables()) {
                if (scope.contains(t.table()) && !tableOf.containsKey(t.table())) {
                    tableOf.put(t.table(), t);
                    partOf.put(t.table(), part);
                }
            }
        }
        List<TableReport> tables = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        Set<String> reasons = new LinkedHashSet<>();
        boolean failed = false;
        boolean unknown = scope.isEmpty();
        for (String table : scope) {
            TableReport t = tableOf.get(table);
            if (t == null) {
                missing.add(table);
                tables.add(TableReport.notCompared(table, Verdict.UNKNOWN, NOT_VERIFIED));
                unknown = true;
                continue;
            }
            tables.add(t);
            PairReport part = partOf.get(table);
            // A part's pair-level reasons (replication stopped, a server away) hold for every table it reports: its
            // pair verdict is then the one to go by, as the verifier decided it.
            Verdict effective = part.reasons().isEmpty() ? t.verdict() : part.verdict();
            reasons.addAll(part.reasons());
            failed |= effective == Verdict.FAIL;
            unknown |= effective == Verdict.UNKNOWN;
        }
        if (scope.isEmpty()) {
            reasons.add("no table in scope for pair " + pair);
        }
        if (!missing.isEmpty()) {
            reasons.add(missing.size() + " table(s) " + NOT_VERIFIED + ": " + missing);
        }
        Verdict verdict = failed ? Verdict.FAIL : unknown ? Verdict.UNKNOWN : Verdict.PASS;
        List<PairReport> used = new ArrayList<>(new LinkedHashSet<>(partOf.values()));
        PairReport oldest = used.stream().min(Comparator.comparing((PairReport p) -> Instant.parse(p.finishedAt())))
                .orElse(null);
        String finishedAt = oldest == null ? Instant.EPOCH.toString() : oldest.finishedAt();
        String startedAt = used.stream().map(PairReport::startedAt).min(Comparator.comparing(Instant::parse))
                .orElse(finishedAt);
        List<String> notes = List.of("merged from " + used.size() + " part(s) verified apart by the daemons of a"
                + " work group; it holds for the oldest of them");
        return new PairReport(pair, verdict, List.copyOf(reasons), oldest == null ? "" : oldest.serverA(),
                oldest == null ? "" : oldest.serverA0(), oldest == null ? "" : oldest.gtidA(),
                oldest == null ? "" : oldest.gtidA0(), startedAt, finishedAt,
                Instant.parse(finishedAt).toEpochMilli() - Instant.parse(startedAt).toEpochMilli(), false,
                PairReport.Totals.of(tables), tables, notes);
    }

    /** The parts of {@code report} one table each: what a daemon stores per work unit. */
    public static List<PairReport> split(PairReport report) {
        List<PairReport> parts = new ArrayList<>();
        for (TableReport t : report.tables()) {
            parts.add(new PairReport(report.pair(), report.reasons().isEmpty() ? t.verdict() : report.verdict(),
                    report.reasons(), report.serverA(), report.serverA0(), report.gtidA(),
                    report.gtidA0(), report.startedAt(), report.finishedAt(), report.durationMs(), report.resumed(),
                    PairReport.Totals.of(List.of(t)), List.of(t), report.notes()));
        }
        return parts;
    }
}
