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
 * GTID positions), so its age at the gate is that of its oldest evidence. A table cut into key ranges, each
 * verified apart ({@link TableRange}), is merged from all of its ranges first.
 */
public final class VerdictMerge {

    /** The reason of a table in scope that no part covers. */
    public static final String NOT_VERIFIED = "not verified by any daemon of the work group yet";
    /** The reason of a table whose key ranges are not known yet. */
    public static final String NOT_SPLIT = "its key ranges are not cut yet (by the daemon owning its first range)";

    private VerdictMerge() {
    }

    /**
     * @param pair  the pair
     * @param scope every table ({@code schema.table}) the pair's verdict must cover
     * @param parts the parts' newest reports, in any order
     */
    public static PairReport merge(int pair, List<String> scope, Collection<PairReport> parts) {
        Map<String, List<String>> whole = new LinkedHashMap<>();
        scope.forEach(t -> whole.put(t, List.of(t)));
        return merge(pair, whole, parts, Instant.EPOCH);
    }

    /**
     * Merges parts that report tables whole or in key ranges ({@link TableRange#name()}). A table cut into ranges is
     * merged from every one of its ranges: FAIL if any is, PASS only if all are, with coverage and differences
     * summed over them; a range no part covers, or whose newest part finished before {@code staleBefore}, leaves
     * the table UNKNOWN, never PASS.
     *
     * @param scope       every table the pair's verdict must cover, each with the entries that make it up: itself
     *                    when verified whole, its ranges' names when cut; none when its cut is not known yet
     * @param staleBefore a part that finished before this is too old to vouch for its range
     */
    public static PairReport merge(int pair, Map<String, List<String>> scope, Collection<PairReport> parts,
                                   Instant staleBefore) {
        Map<String, PairReport> partOf = new LinkedHashMap<>();
        Map<String, TableReport> entryOf = new LinkedHashMap<>();
        List<PairReport> newestFirst = parts.stream().filter(p -> p.pair() == pair)
                .sorted(Comparator.comparing((PairReport p) -> Instant.parse(p.finishedAt())).reversed()).toList();
        Set<String> wanted = new LinkedHashSet<>();
        scope.values().forEach(wanted::addAll);
        for (PairReport part : newestFirst) {
            for (TableReport t : part.tables()) {
                if (wanted.contains(t.table()) && !entryOf.containsKey(t.table())) {
                    entryOf.put(t.table(), t);
                    partOf.put(t.table(), part);
                }
            }
        }
        List<TableReport> tables = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        Set<String> reasons = new LinkedHashSet<>();
        Set<PairReport> used = new LinkedHashSet<>();
        boolean failed = false;
        boolean unknown = scope.isEmpty();
        for (Map.Entry<String, List<String>> e : scope.entrySet()) {
            String table = e.getKey();
            List<String> entries = e.getValue();
            if (entries.isEmpty()) {
                tables.add(TableReport.notCompared(table, Verdict.UNKNOWN, NOT_SPLIT));
                reasons.add(table + ": " + NOT_SPLIT);
                unknown = true;
                continue;
            }
            List<TableReport> found = new ArrayList<>();
            List<String> absent = new ArrayList<>();
            List<String> stale = new ArrayList<>();
            Verdict effective = Verdict.PASS;
            for (String entry : entries) {
                TableReport t = entryOf.get(entry);
                if (t == null) {
                    absent.add(entry);
                    continue;
                }
                PairReport part = partOf.get(entry);
                used.add(part);
                found.add(t);
                if (Instant.parse(part.finishedAt()).isBefore(staleBefore)) {
                    stale.add(entry);
                }
                // A part's pair-level reasons (replication stopped, a server away) hold for every table it reports:
                // its pair verdict is then the one to go by, as the verifier decided it.
                effective = effective.and(part.reasons().isEmpty() ? t.verdict() : part.verdict());
                reasons.addAll(part.reasons());
            }
            if (found.isEmpty()) {
                missing.add(table);
                tables.add(TableReport.notCompared(table, Verdict.UNKNOWN, NOT_VERIFIED));
                unknown = true;
                continue;
            }
            if (!absent.isEmpty() || !stale.isEmpty()) {
                effective = effective.and(Verdict.UNKNOWN);
            }
            tables.add(entries.size() == 1 && entries.get(0).equals(table) && stale.isEmpty() ? found.get(0)
                    : combined(table, found, entries.size(), absent, stale, effective));
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

    /** One table's report from its ranges' reports, in key order: coverage and differences summed. */
    private static TableReport combined(String table, List<TableReport> ranges, int parts, List<String> absent,
                                        List<String> stale, Verdict verdict) {
        List<String> why = new ArrayList<>();
        for (TableReport r : ranges) {
            r.reasons().forEach(reason -> why.add(r.table() + ": " + reason));
        }
        if (!absent.isEmpty()) {
            why.add(absent.size() + " of " + parts + " key range(s) " + NOT_VERIFIED + ": " + absent);
        }
        if (!stale.isEmpty()) {
            why.add(stale.size() + " of " + parts + " key range(s) last verified before verify.max.age: " + stale);
        }
        long rowsA = 0, rowsA0 = 0, chunks = 0, same = 0, different = 0, hot = 0, unverified = 0;
        long notA = 0, notA0 = 0, differences = 0, duration = 0;
        boolean compared = false;
        boolean narrowingComplete = true;
        String skipped = null;
        List<RowDifference> samples = new ArrayList<>();
        StringBuilder chunkMap = new StringBuilder();
        for (TableReport r : ranges) {
            TableCoverage c = r.coverage();
            rowsA += c.rowsA();
            rowsA0 += c.rowsA0();
            chunks += c.chunksCompared();
            same += c.chunksSame();
            different += c.chunksDifferent();
            hot += c.chunksHot();
            unverified += c.chunksUnverified();
            notA += c.rowsNotCoveredA();
            notA0 += c.rowsNotCoveredA0();
            compared |= c.skipped() == null;
            skipped = skipped == null ? c.skipped() : skipped;
            differences += r.differences();
            duration += r.durationMs();
            narrowingComplete &= r.narrowingComplete();
            r.samples().stream().limit(TableReport.MAX_SAMPLES - samples.size()).forEach(samples::add);
            chunkMap.append(r.chunkMap());
        }
        TableCoverage coverage = new TableCoverage(rowsA, rowsA0, chunks, same, different, hot, unverified, notA,
                notA0, compared ? null : skipped);
        return new TableReport(table, verdict, why, coverage, differences, samples, narrowingComplete,
                chunkMap.toString(), duration);
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
