package dev.mitosis.ops.capture;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Usage errors of {@code mitosis capture}, before anything is started. */
class CaptureCommandTest {

    @TempDir
    Path dir;

    private record Run(int exitCode, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new CaptureCommand());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("mitosis: " + e.getMessage());
            return e instanceof dev.mitosis.ops.cli.OperatorException o ? o.exitCode() : 1;
        });
        return new Run(cli.execute(args), out.toString(), err.toString());
    }

    private Path config() throws Exception {
        Files.writeString(dir.resolve("password"), "pw\n");
        Path file = dir.resolve("mitosis.yaml");
        Files.writeString(file, String.join("\n", "split:", "  old.shards: 1", "  new.shards: 2", "schemas: [app]",
                "credentials:", "  user: cdc", "  password.file: password", "kafka:",
                "  bootstrap.servers: 127.0.0.1:1", "pairs:", "  - pair: 0", "    servers:",
                "      - name: p0-a", "        host: 127.0.0.1", "        port: 1",
                "      - name: p0-a0", "        host: 127.0.0.1", "        port: 2", ""));
        return file;
    }

    @Test
    void helpNamesTheContract() {
        Run run = run("--help");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("--config").contains("--servers").contains("--snapshot")
                .contains("--rebaseline").contains("SIGTERM");
    }

    @Test
    void unknownSnapshotModeIsAUsageError() throws Exception {
        Run run = run("--config", config().toString(), "--snapshot", "sometimes");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--snapshot sometimes").contains("none or initial");
    }

    @Test
    void unknownServerIsAUsageErrorNamingTheKnownOnes() throws Exception {
        Run run = run("--config", config().toString(), "--servers", "p9-a");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("p9-a").contains("p0-a0");
    }

    @Test
    void rebaselineNeedsNamedServers() throws Exception {
        Run run = run("--config", config().toString(), "--rebaseline");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--rebaseline needs --servers");
    }
}
