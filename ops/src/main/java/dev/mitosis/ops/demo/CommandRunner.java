package dev.mitosis.ops.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mitosis.ops.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;

/**
 * Runs {@code mitosis} subcommands for the demo exactly as an operator would type them (through {@link Main}, so
 * the same options, gates and interlocks apply), in this JVM: stdout's JSON summary is kept, stderr goes to the
 * step's log file.
 */
final class CommandRunner {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration STOP_GRACE = Duration.ofSeconds(30);

    /** One command's result: exit code, its JSON summary (null if it printed none), the log with its stderr. */
    record Outcome(List<String> args, int exitCode, JsonNode json, Path log) {
        String commandLine() {
            return "mitosis " + String.join(" ", args);
        }
    }

    private final Path logDir;

    CommandRunner(Path logDir) {
        this.logDir = logDir;
    }

    Outcome run(String logName, String... args) {
        Path log = logDir.resolve(logName + ".log");
        StringWriter out = new StringWriter();
        int exit;
        try {
            Files.createDirectories(logDir);
            try (PrintWriter err = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND), true)) {
                err.println("$ mitosis " + String.join(" ", args));
                exit = Main.execute(new PrintWriter(out, true), err, args);
                err.println("exit " + exit);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + log, e);
        }
        return new Outcome(List.of(args), exit, lastJson(out.toString()), log);
    }

    /** A command started in its own JVM by {@link #start}: stop it with SIGTERM, as an operator stops a long job. */
    final class Child {
        private final List<String> args;
        private final Process process;
        private final Path log;
        private final Path stdout;

        private Child(List<String> args, Process process, Path log, Path stdout) {
            this.args = args;
            this.process = process;
            this.log = log;
            this.stdout = stdout;
        }

        /** Waits up to {@code timeout}; past it, SIGTERM (the job stops after its last checkpoint), then SIGKILL. */
        Outcome await(Duration timeout) throws InterruptedException {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroy();
                if (!process.waitFor(STOP_GRACE.toSeconds(), TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(STOP_GRACE.toSeconds(), TimeUnit.SECONDS);
                }
            }
            String out;
            try {
                out = Files.readString(stdout, StandardCharsets.UTF_8);
            } catch (IOException e) {
                out = "";
            }
            return new Outcome(args, process.isAlive() ? -1 : process.exitValue(), lastJson(out), log);
        }

        /** Stops it now (SIGTERM), if it still runs. */
        void stop() {
            process.destroy();
        }
    }

    /**
     * Starts {@code mitosis <args>} in a JVM of its own, on this JVM's class path: for the long jobs (purge) that the
     * demo runs several at once and must be able to stop, each by its own process.
     */
    Child start(String logName, String... args) {
        Path log = logDir.resolve(logName + ".log");
        Path stdout = logDir.resolve(logName + ".out");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        try {
            Files.createDirectories(logDir);
            Files.writeString(log, "$ mitosis " + String.join(" ", args) + "\n", StandardCharsets.UTF_8);
            Process process = new ProcessBuilder(command).redirectOutput(stdout.toFile())
                    .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            return new Child(List.of(args), process, log, stdout);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + String.join(" ", command), e);
        }
    }

    /** Whether this build has the subcommand, e.g. {@code prove}: a step whose command is missing fails by name. */
    static boolean hasSubcommand(String name) {
        return new CommandLine(new Main()).getSubcommands().containsKey(name);
    }

    private static JsonNode lastJson(String stdout) {
        String[] lines = stdout.strip().split("\n");
        for (int i = lines.length - 1; i >= 0; i--) {
            if (lines[i].startsWith("{")) {
                try {
                    return JSON.readTree(lines[i]);
                } catch (IOException e) {
                    return null;
                }
            }
        }
        return null;
    }

    /** The last lines of a log, for a failed step. */
    static List<String> tail(Path log, int lines) {
        try {
            // Stack frames say little in a one-line failure: the lines around them do.
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8).stream()
                    .filter(l -> !l.startsWith("\tat ") && !l.startsWith("\t... ")).toList();
            return all.subList(Math.max(0, all.size() - lines), all.size());
        } catch (IOException e) {
            return List.of("(cannot read " + log + ": " + e.getMessage() + ")");
        }
    }
}
