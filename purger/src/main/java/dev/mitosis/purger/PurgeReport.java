package dev.mitosis.purger;

import java.util.List;
import java.util.Objects;

/**
 * The result of one purge run.
 *
 * @param outcome     how it ended
 * @param reason      why, in a phrase (the refusing interlocks, the abort reason, the failure)
 * @param interlocks  the interlock answers at start (and the failing one if it failed during the run)
 * @param plan        the plan (null if refused before planning)
 * @param tables      per table, in plan order
 * @param rowsDeleted rows deleted by this run
 * @param elapsedMs   the run's time
 * @param archive     whether capture was seen to archive every delete of the run
 */
public record PurgeReport(Outcome outcome, String reason, List<InterlockResult> interlocks, PurgePlan plan,
                          List<TableResult> tables, long rowsDeleted, long elapsedMs, ArchiveCheck archive) {

    /** How a run ended. */
    public enum Outcome {
        /** Every planned table is purged. */
        DONE,
        /** An interlock did not hold at start: nothing was deleted. */
        REFUSED,
        /** An abort threshold or an interlock stopped the run, after its last checkpoint. */
        ABORTED,
        /** Stopped on request (a signal), after its last checkpoint. */
        INTERRUPTED,
        /** A failure of the tool or a server that retries did not overcome; the last checkpoint stands. */
        FAILED
    }

    /** Copies the lists. */
    public PurgeReport {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(archive, "archive");
        interlocks = List.copyOf(interlocks);
        tables = List.copyOf(tables);
    }

    /** The same report with the end-of-run archive check. */
    public PurgeReport withArchive(ArchiveCheck check) {
        return new PurgeReport(outcome, reason, interlocks, plan, tables, rowsDeleted, elapsedMs, check);
    }
}
