package dev.mitosis.ops.cli;

/** The exit codes of the command contract (shared/design.md); pipelines branch on them. */
public final class ExitCodes {

    /** Pass, done. */
    public static final int OK = 0;
    /** A definite failure: difference found, interlock refused, proof failed, a precondition not met. */
    public static final int FAILED = 1;
    /** Usage or config error. */
    public static final int USAGE = 2;
    /** Inconclusive: UNKNOWN, stale verdict. */
    public static final int INCONCLUSIVE = 3;
    /** Interrupted (SIGINT) after a checkpoint. */
    public static final int INTERRUPTED = 130;
    /** Terminated (SIGTERM) after a checkpoint. */
    public static final int TERMINATED = 143;

    private ExitCodes() {
    }
}
