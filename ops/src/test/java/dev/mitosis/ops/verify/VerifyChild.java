package dev.mitosis.ops.verify;

import picocli.CommandLine;

/** {@code mitosis verify} alone in a JVM of its own, for a test to kill -9. */
public final class VerifyChild {

    private VerifyChild() {
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new VerifyCommand()).execute(args));
    }
}
