package dev.mitosis.purger;

/**
 * One condition that must hold for a purge to start and to go on. Checked before the first delete and again during
 * the run; a check that cannot be made fails: an interlock never holds by default.
 */
public interface Interlock {

    /** The condition, e.g. {@code "replication cut"}; it names the refusal. */
    String name();

    /** Checks the condition now. Never throws: a failure to check is a result that does not hold. */
    InterlockResult check();

    /**
     * Checks the condition again while a purge runs; a refusal stops the run after its last checkpoint. An
     * interlock whose evidence the throttle also watches answers only what waiting cannot fix here, so that what
     * passes (capture lagging, stopped for a while) pauses the run instead of ending it. Never throws.
     */
    default InterlockResult checkDuringRun() {
        return check();
    }
}
