package dev.mitosis.ops.cli;

import java.io.PrintWriter;
import java.util.Locale;

/** Progress for operators on stderr: one event per line, prefixed with the command and the elapsed time. */
public final class Progress {

    private final PrintWriter err;
    private final String command;
    private final long startNanos = System.nanoTime();

    public Progress(PrintWriter err, String command) {
        this.err = err;
        this.command = command;
    }

    public synchronized void say(String format, Object... args) {
        err.printf(Locale.ROOT, "%s [%6.1fs] %s%n", command, elapsedSeconds(), String.format(Locale.ROOT, format, args));
        err.flush();
    }

    public double elapsedSeconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
