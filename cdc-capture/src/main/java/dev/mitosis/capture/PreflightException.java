package dev.mitosis.capture;

import java.util.List;
import java.util.stream.Collectors;

/** A server is not set up for capture; each problem names what was found and the fix. */
public final class PreflightException extends CaptureException {

    /** One failed check: which, what the server has, and how to fix it. */
    public record Problem(String check, String found, String fix) {
        @Override
        public String toString() {
            return check + ": found " + found + "; fix: " + fix;
        }
    }

    private final String server;
    private final List<Problem> problems;

    public PreflightException(String server, List<Problem> problems) {
        super("server " + server + " is not ready for capture:\n  "
                + problems.stream().map(Problem::toString).collect(Collectors.joining("\n  ")));
        this.server = server;
        this.problems = List.copyOf(problems);
    }

    public String server() {
        return server;
    }

    public List<Problem> problems() {
        return problems;
    }
}
