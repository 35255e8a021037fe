package dev.mitosis.verifier;

import java.util.List;

/**
 * The verdict on one table of a pair.
 *
 * @param table       {@code schema.table}
 * @param verdict     PASS only with full coverage and no difference
 * @param reasons     why the verdict is not PASS, each with what to do
 * @param coverage    rows and chunks compared, skipped and why
 * @param differences rows that differ (all of them, counted)
 * @param samples     at most {@value #MAX_SAMPLES} of them
 * @param narrowingComplete false when a range had too many rows to list, so {@code differences} is a lower bound
 * @param chunkMap    one character per chunk in key order: '.' same, 'D' different, 'H' hot, 'U' unverified
 * @param durationMs  time spent on the table
 */
public record TableReport(String table, Verdict verdict, List<String> reasons, TableCoverage coverage,
                          long differences, List<RowDifference> samples, boolean narrowingComplete, String chunkMap,
                          long durationMs) {

    /** Reports keep at most this many differing rows per table; --diff-file has them all. */
    public static final int MAX_SAMPLES = 10;

    /** Copies the lists. */
    public TableReport {
        reasons = List.copyOf(reasons);
        samples = List.copyOf(samples);
    }

    /** A table that was not compared: UNKNOWN, or FAIL when the reason is itself a difference. */
    public static TableReport notCompared(String table, Verdict verdict, String reason) {
        return new TableReport(table, verdict, List.of(reason), TableCoverage.skipped(reason), 0, List.of(), true, "", 0);
    }
}
