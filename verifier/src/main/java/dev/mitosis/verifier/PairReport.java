package dev.mitosis.verifier;

import java.util.List;

/**
 * The verdict on one pair: what {@code mitosis verify} prints and stores and {@code mitosis gate} reads.
 *
 * @param pair        the pair (old shard) number
 * @param verdict     PASS only if every table in scope passed with full coverage and replication ran both ways
 * @param reasons     pair-level reasons the verdict is not PASS (servers, replication, scope), with what to do
 * @param serverA     A's name
 * @param serverA0    A0's name
 * @param gtidA       A's {@code gtid_binlog_pos} when the run finished: the position the verdict holds for
 * @param gtidA0      A0's {@code gtid_binlog_pos} when the run finished
 * @param startedAt   ISO-8601 start
 * @param finishedAt  ISO-8601 end: the time the verdict holds for
 * @param durationMs  wall time
 * @param resumed     whether the run continued from a checkpoint
 * @param totals      sums over tables
 * @param tables      per table, in name order
 * @param notes       how the run went where it does not change the verdict (e.g. re-checks without the change
 *                    stream, and why)
 */
public record PairReport(int pair, Verdict verdict, List<String> reasons, String serverA, String serverA0,
                         String gtidA, String gtidA0, String startedAt, String finishedAt, long durationMs,
                         boolean resumed, Totals totals, List<TableReport> tables,
                         List<String> notes) {

    /**
     * Sums over the tables of a run: the coverage figures the gate shows.
     *
     * @param tablesInScope    tables considered
     * @param tablesCompared   tables compared chunk by chunk
     * @param tablesSkipped    tables not compared (no key, missing, different shape)
     * @param rowsA            rows of A compared
     * @param rowsA0           rows of A0 compared
     * @param chunksCompared   chunks compared
     * @param chunksHot        hot chunks
     * @param chunksUnverified unverified chunks
     * @param differences      differing rows
     */
    public record Totals(int tablesInScope, int tablesCompared, int tablesSkipped, long rowsA, long rowsA0,
                         long chunksCompared, long chunksHot, long chunksUnverified, long differences) {

        /** The sums over {@code tables}. */
        public static Totals of(List<TableReport> tables) {
            int compared = 0;
            int skipped = 0;
            long rowsA = 0;
            long rowsA0 = 0;
            long chunks = 0;
            long hot = 0;
            long unverified = 0;
            long differences = 0;
            for (TableReport t : tables) {
                TableCoverage c = t.coverage();
                if (c.skipped() == null) {
                    compared++;
                } else {
                    skipped++;
                }
                rowsA += c.rowsA();
                rowsA0 += c.rowsA0();
                chunks += c.chunksCompared();
                hot += c.chunksHot();
                unverified += c.chunksUnverified();
                differences += t.differences();
            }
            return new Totals(tables.size(), compared, skipped, rowsA, rowsA0, chunks, hot, unverified, differences);
        }
    }

    /** Copies the lists. */
    public PairReport {
        reasons = List.copyOf(reasons);
        tables = List.copyOf(tables);
        // Reports stored before notes existed read back with none.
        notes = notes == null ? List.of() : List.copyOf(notes);
    }
}
