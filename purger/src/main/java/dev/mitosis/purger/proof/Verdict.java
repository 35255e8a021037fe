package dev.mitosis.purger.proof;

/** What the proof of a purge concludes, for one table and for the shard. */
public enum Verdict {
    /** Every check held on complete evidence. */
    PROVEN,
    /** A check failed: a row of the purged residue remains, or a purge-tagged change touched what it must not. */
    DISPROVEN,
    /** Nothing failed, but the evidence is incomplete (capture behind, archive shorter than the purge's count). */
    CANNOT_TELL;

    /** The worse of two verdicts: DISPROVEN over CANNOT_TELL over PROVEN. */
    public Verdict and(Verdict other) {
        if (this == DISPROVEN || other == DISPROVEN) {
            return DISPROVEN;
        }
        return this == CANNOT_TELL || other == CANNOT_TELL ? CANNOT_TELL : PROVEN;
    }
}
