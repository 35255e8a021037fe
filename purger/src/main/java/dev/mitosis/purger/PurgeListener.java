package dev.mitosis.purger;

/** What a running purge tells its operator; every method has a no-op default. Called from the purge's threads. */
public interface PurgeListener {

    /** Ignores everything. */
    PurgeListener NONE = new PurgeListener() {
    };

    /** The plan is made. */
    default void planned(PurgePlan plan) {
    }

    /** A table starts, possibly resuming from a checkpoint ({@code resumedFrom} is its key, or null). */
    default void tableStarted(TablePlan table, String resumedFrom) {
    }

    /** A chunk committed. */
    default void chunk(PurgeProgress progress) {
    }

    /** The throttle's decision changed. */
    default void throttleChanged(ThrottleDecision old, ThrottleDecision now) {
    }

    /** A tunable changed while running, e.g. {@code max.rows.per.second} from the control file. */
    default void tunableChanged(String name, String oldValue, String newValue, String by) {
    }

    /** A retriable failure is retried. */
    default void retrying(String what, int attempt, String error) {
    }
}
