package dev.mitosis.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A server process this project started, known by its PID and by an identity string that must appear on its
 * command line. Every signal is sent only after the identity matched, so a PID the kernel reused for someone
 * else's process is never touched.
 */
public final class OwnedProcess {

    private static final Path SETSID = Path.of("/usr/bin/setsid");

    private final long pid;
    private final String identity;

    private OwnedProcess(long pid, String identity) {
        this.pid = pid;
        this.identity = identity;
    }

    /**
     * Starts {@code command} with its output appended to {@code log} and records its PID in {@code pidFile} before
     * returning, so a caller killed a moment later still leaves a trail to reap.
     *
     * @param detached start in a session of its own, so the process outlives this JVM and a Ctrl-C in its terminal
     */
    public static OwnedProcess spawn(List<String> command, Path log, Path pidFile, String identity,
                                     Map<String, String> env, boolean detached) {
        List<String> argv = new ArrayList<>();
        if (detached && Files.isExecutable(SETSID)) {
            argv.add(SETSID.toString()); // execs in place: the PID stays the server's own
        }
        argv.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(argv)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        builder.environment().putAll(env);
        try {
            Process process = builder.start();
            OwnedProcess owned = new OwnedProcess(process.pid(), identity);
            Files.writeString(pidFile, process.pid() + "\n" + identity + "\n", StandardCharsets.UTF_8);
            return owned;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command.get(0), e);
        }
    }

    /** The process a pid file names, if it still runs with the recorded identity. */
    public static Optional<OwnedProcess> fromPidFile(Path pidFile) {
        try {
            if (!Files.exists(pidFile)) {
                return Optional.empty();
            }
            List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
            if (lines.size() < 2 || lines.get(0).isBlank()) {
                return Optional.empty();
            }
            OwnedProcess candidate = new OwnedProcess(Long.parseLong(lines.get(0).trim()), lines.get(1));
            return candidate.isAlive() ? Optional.of(candidate) : Optional.empty();
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    public long pid() {
        return pid;
    }

    /** True while the PID runs and its command line still carries this process's identity. */
    public boolean isAlive() {
        return !hasExited() && commandLine().map(c -> c.contains(identity)).orElse(false);
    }

    /**
     * Gone, or every one of its threads dead. Only then has the kernel closed its files and ports: the command line
     * empties, and the main thread of a JVM turns zombie, while other threads are still closing sockets.
     */
    private boolean hasExited() {
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            return tasks.allMatch(task -> isDead(task.resolve("stat")));
        } catch (IOException | UncheckedIOException gone) {
            return true;
        }
    }

    /** What tells that a starting server serves; it throws while it does not yet. */
    @FunctionalInterface
    public interface ReadinessProbe {
        void check() throws Exception;
    }

    /**
     * Waits, bounded, until {@code probe} passes. Fails at once if the process exits, and kills it if it is not
     * ready in time; either failure names {@code what} and shows the tail of {@code log}.
     */
    public void awaitReady(String what, Duration timeout, Duration interval, ReadinessProbe probe, Path log) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            // Not isAlive(): right after start the PID may still be Java's spawn helper, whose command line lacks the
            // identity until it has exec'd the server. The PID is this JVM's own child here, so no other can hold it.
            if (hasExited()) {
                throw new IllegalStateException(what + " exited during start; log " + log + ":\n"
                        + ProcessFiles.tail(log, 30));
            }
            try {
                probe.check();
                return;
            } catch (Exception notYet) {
                last = notYet;
            }
            MariaDbServer.pause(interval);
        }
        kill();
        throw new IllegalStateException(what + " not ready within " + timeout + " (last error: "
                + (last == null ? "none" : last.getMessage()) + "); log:\n" + ProcessFiles.tail(log, 30));
    }

    /** SIGTERM, then SIGKILL if it has not exited within {@code grace}. Returns once it is gone. */
    public void terminate(Duration grace) {
        if (!isAlive()) {
            return;
        }
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
        if (!awaitExit(grace)) {
            kill();
        }
    }

    /** SIGKILL, as a crash would; returns once it is gone (bounded). */
    public void kill() {
        if (isAlive()) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
        if (!awaitExit(Duration.ofSeconds(30))) {
            throw new IllegalStateException("process " + pid + " (" + identity + ") survived SIGKILL for 30 s");
        }
    }

    /** Waits, bounded, until the process has exited. */
    public boolean awaitExit(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!hasExited()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Optional<ProcessHandle> handle = ProcessHandle.of(pid);
            if (handle.isPresent()) {
                try {
                    handle.get().onExit().get(50, TimeUnit.MILLISECONDS);
                } catch (Exception waitedEnough) {
                    // the loop re-checks; onExit of a non-child is polled by the JDK
                }
            }
        }
        return true;
    }

    /** Resident set size in KiB, from /proc; 0 once the process is gone. */
    public long rssKib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | UncheckedIOException e) {
            return 0;
        }
        return 0;
    }

    private Optional<String> commandLine() {
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
            return Optional.of(new String(raw, StandardCharsets.UTF_8).replace('\0', ' '));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Zombie (Z) or dead (X), from the state field of a /proc stat file; a vanished file counts as dead. */
    private static boolean isDead(Path stat) {
        try {
            String line = Files.readString(stat);
            int close = line.lastIndexOf(')');
            char state = close > 0 && close + 2 < line.length() ? line.charAt(close + 2) : 'X';
            return state == 'Z' || state == 'X';
        } catch (IOException e) {
            return true;
        }
    }

    @Override
    public String toString() {
        return "pid " + pid + " (" + identity + ")";
    }
}
