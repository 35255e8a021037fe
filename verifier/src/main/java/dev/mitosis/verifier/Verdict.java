package dev.mitosis.verifier;

/**
 * The outcome of comparing A and A0. A failure to check is never PASS: it is UNKNOWN.
 */
public enum Verdict {
    /** Every row in scope compared and identical, at the GTID positions the report names. */
    PASS,
    /** At least one definite difference. */
    FAIL,
    /** Something could not be checked (hot chunk, server down, replication stopped, table skipped). */
    UNKNOWN;

    /** The verdict of a whole made of two parts: FAIL wins over UNKNOWN, UNKNOWN over PASS. */
    public Verdict and(Verdict other) {
        if (this == FAIL || other == FAIL) {
            return FAIL;
        }
        return this == UNKNOWN || other == UNKNOWN ? UNKNOWN : PASS;
    }
}
