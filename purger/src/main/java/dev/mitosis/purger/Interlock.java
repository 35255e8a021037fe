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
}
