package dev.mitosis.ops.demo;

import dev.mitosis.ops.capture.CaptureCommand;
import dev.mitosis.ops.cli.OperatorException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine;

/**
 * {@code mitosis capture --config C} running in the background of the demo, as the foreground daemon an operator
 * starts; {@link #close()} stops it as SIGTERM does (drain, commit offsets) and waits for the end.
 */
final class CaptureRun implements AutoCloseable {

    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final CaptureCommand command = new CaptureCommand();
    private final Path log;
    private Thread thread;
    private PrintWriter err;
    private volatile Integer exitCode;

    CaptureRun(Path log) {
        this.log = log;
    }

    void start(Path config) {
        try {
            Files.createDirectories(log.getParent());
            err = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8), true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + log, e);
        }
        CommandLine cli = new CommandLine(command);
        cli.setOut(new PrintWriter(new StringWriter(), true));
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, line, parsed) -> {
            err.println("mitosis: capture failed: " + e.getMessage());
            return e instanceof OperatorException o ? o.exitCode() : 1;
        });
        String[] args = {"--config", config.toString(), "--status-interval-s", "10"};
        err.println("$ mitosis capture " + String.join(" ", args));
        thread = new Thread(() -> exitCode = cli.execute(args), "demo-capture");
        thread.setDaemon(true);
        thread.start();
    }

    /** Null while capture runs; its exit code once it ended. */
    Integer exitCode() {
        return exitCode;
    }

    Path log() {
        return log;
    }

    @Override
    public void close() {
        if (thread == null) {
            return;
        }
        command.stop();
        try {
            thread.join(STOP_TIMEOUT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        err.println("capture stopped, exit " + exitCode);
        err.close();
        thread = null;
    }
}
