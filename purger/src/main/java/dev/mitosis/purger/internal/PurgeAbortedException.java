package dev.mitosis.purger.internal;

/** The purge must stop after its last checkpoint: an abort threshold was crossed or an interlock stopped holding. */
public final class PurgeAbortedException extends Exception {

    private static final long serialVersionUID = 1L;

    public PurgeAbortedException(String reason) {
        super(reason);
    }
}
