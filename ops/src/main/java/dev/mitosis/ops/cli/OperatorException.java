package dev.mitosis.ops.cli;

/**
 * An expected failure to report to the operator in one line, with the exit code it maps to; no stack trace.
 */
public final class OperatorException extends RuntimeException {

    private static final long serialVersionUID = 1L;
    private final int exitCode;

    public OperatorException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public static OperatorException usage(String message) {
        return new OperatorException(ExitCodes.USAGE, message);
    }

    public static OperatorException failed(String message) {
        return new OperatorException(ExitCodes.FAILED, message);
    }

    public int exitCode() {
        return exitCode;
    }
}
