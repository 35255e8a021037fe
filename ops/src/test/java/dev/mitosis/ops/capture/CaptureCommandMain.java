package dev.mitosis.ops.capture;

import dev.mitosis.ops.cli.OperatorException;
import picocli.CommandLine;

/** {@code mitosis capture} alone in a child JVM, for {@link CaptureCommandIT} to send SIGTERM to. */
public final class CaptureCommandMain {

    private CaptureCommandMain() {
    }

    public static void main(String[] args) {
        CommandLine cli = new CommandLine(new CaptureCommand());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("mitosis: " + e.getMessage());
            return e instanceof OperatorException o ? o.exitCode() : 1;
        });
        System.exit(cli.execute(args));
    }
}
