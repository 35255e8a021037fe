package dev.mitosis.verifier.internal;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import dev.mitosis.verifier.RowDifference;
import dev.mitosis.verifier.TableCoverage;
import dev.mitosis.verifier.TableReport;
import dev.mitosis.verifier.Verdict;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/**
 * What has been found in a table so far, chunk by chunk, and where to go on: the part of a checkpoint that lets a
 * killed run resume after its last finished chunk.
 */
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE)
public final class TableTally {

    private String table;
    /** The upper bound of the last finished chunk; null before the first. */
    private List<String> after;
    /** Whether the last chunk (open above) is done. */
    private boolean finished;
    private int chunkRows;
    private long rowsA;
    private long rowsA0;
    private long chunksCompared;
    private long chunksSame;
    private long chunksDifferent;
    private long chunksHot;
    private long chunksUnverified;
    private long rowsNotCoveredA;
    private long rowsNotCoveredA0;
    private long differences;
    private boolean narrowingComplete = true;
    private List<RowDifference> samples = new ArrayList<>();
    private LinkedHashSet<String> reasons = new LinkedHashSet<>();
    private String chunkMap = "";
    private long elapsedMs;

    TableTally() {
        // For the checkpoint reader.
    }

    public TableTally(String table, int chunkRows) {
        this.table = table;
        this.chunkRows = chunkRows;
    }

    public String table() {
        return table;
    }

    public int chunkRows() {
        return chunkRows;
    }

    public void chunkRows(int rows) {
        this.chunkRows = rows;
    }

    public boolean finished() {
        return finished;
    }

    public long chunksCompared() {
        return chunksCompared;
    }

    public long rowsA() {
        return rowsA;
    }

    /** Where the next chunk starts. */
    public Optional<KeyBound> after(TableShape shape) {
        return after == null ? Optional.empty() : Optional.of(KeyBound.fromStrings(after, shape.keyColumns()));
    }

    /** Records one finished chunk and moves past it; {@code upper} empty means the table is done. */
    public void chunkDone(ChunkComparer.Result result, Optional<KeyBound> upper, long millis) {
        chunkDone(result, upper, upper.isEmpty(), millis);
    }

    /**
     * Records one finished chunk and moves past it.
     *
     * @param last whether it was the last chunk of the table, or of the key range verified ({@code upper} is then
     *             the range's end, or empty for the table's last range)
     */
    public void chunkDone(ChunkComparer.Result result, Optional<KeyBound> upper, boolean last, long millis) {
        chunksCompared++;
        rowsA += result.a().rows();
        rowsA0 += result.a0().rows();
        switch (result.outcome()) {
            case SAME -> chunksSame++;
            case DIFFERENT -> chunksDifferent++;
            case HOT -> {
                chunksHot++;
                notCovered(result);
            }
            case UNVERIFIED -> {
                chunksUnverified++;
                notCovered(result);
                reasons.add(result.reason() + ": check replication between the two servers, then verify again");
            }
        }
        chunkMap += switch (result.outcome()) {
            case SAME -> '.';
            case DIFFERENT -> 'D';
            case HOT -> 'H';
            case UNVERIFIED -> 'U';
        };
        elapsedMs += millis;
        after = upper.map(KeyBound::toStrings).orElse(after);
        finished = last;
    }

    private void notCovered(ChunkComparer.Result result) {
        rowsNotCoveredA += result.a().rows();
        rowsNotCoveredA0 += result.a0().rows();
    }

    /** Counts a differing row; keeps the first few as samples. */
    public void difference(RowDifference difference) {
        differences++;
        if (samples.size() < TableReport.MAX_SAMPLES) {
            samples.add(difference);
        }
    }

    public void narrowingIncomplete() {
        narrowingComplete = false;
    }

    /** Stops the table with a reason (a server error): what was not reached counts as not covered. */
    public void abandon(String reason) {
        reasons.add(reason);
        finished = true;
        chunkMap += 'U';
        chunksUnverified++;
    }

    /** The table's report. */
    public TableReport report() {
        TableCoverage coverage = new TableCoverage(rowsA, rowsA0, chunksCompared, chunksSame, chunksDifferent,
                chunksHot, chunksUnverified, rowsNotCoveredA, rowsNotCoveredA0, null);
        List<String> why = new ArrayList<>(reasons);
        Verdict verdict = Verdict.PASS;
        if (differences > 0) {
            verdict = Verdict.FAIL;
            why.add(differences + " row(s) differ: see the samples, or list all with --diff-file and repair with the"
                    + " suggested statements");
        }
        if (chunksDifferent > 0 && differences == 0) {
            verdict = verdict.and(Verdict.UNKNOWN);
            why.add(chunksDifferent + " chunk(s) differ but no single row could be confirmed: verify again");
        }
        if (!narrowingComplete) {
            why.add("some ranges had too many rows to list one by one: the difference count is a lower bound");
        }
        if (chunksHot > 0) {
            verdict = verdict.and(Verdict.UNKNOWN);
            why.add(chunksHot + " hot chunk(s) kept changing under writes: verify again at a quieter time or raise "
                    + "verify.recheck.max.attempts");
        }
        if (!coverage.full()) {
            verdict = verdict.and(Verdict.UNKNOWN);
        }
        return new TableReport(table, verdict, why, coverage, differences, samples, narrowingComplete,
                chunkMap, elapsedMs);
    }
}
