package dev.mitosis.ops.purge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The purge command against a fleet where nothing answers (an IT because the broker reads wait out their timeout):
 * usage errors exit 2 naming the value; a purge of a fleet whose servers cannot
 * be reached is refused (exit 1) naming every interlock, each saying what it could not read, with one JSON line on
 * stdout.
 */
class PurgeCommandUnreachableIT {

    @TempDir
    Path dir;

    private record Run(int exitCode, String out, String err) {
        JsonNode json() throws IOException {
            assertThat(out.strip()).doesNotContain("\n");
            return new ObjectMapper().readTree(out);
        }
    }

    private Run purge(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new PurgeCommand());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    /** A fleet of two pairs on ports 1 to 4, where nothing listens. */
    private Path config(String purgeSection) throws IOException {
        Files.writeString(dir.resolve("password"), "secret\n");
        Path file = dir.resolve("mitosis.yaml");
        Files.writeString(file, String.join("\n",
                "split: {old.shards: 2, new.shards: 4}",
                "schemas: [app]",
                "credentials: {user: mitosis, password.file: password}",
                "kafka: {bootstrap.servers: '127.0.0.1:9092'}",
                "pairs:",
                "  - pair: 0",
                "    servers: [{name: p0-a, host: 127.0.0.1, port: 1}, {name: p0-a0, host: 127.0.0.1, port: 2}]",
                "  - pair: 1",
                "    servers: [{name: p1-a, host: 127.0.0.1, port: 3}, {name: p1-a0, host: 127.0.0.1, port: 4}]",
                purgeSection, ""));
        return file;
    }

    @Test
    void refusedNamingEveryInterlockItCannotCheck() throws IOException {
        Run run = purge("--config", config("").toString(), "--shard", "3");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
        JsonNode json = run.json();
        assertThat(json.get("outcome").asText()).isEqualTo("REFUSED");
        assertThat(json.get("server").asText()).isEqualTo("p1-a0");
        assertThat(json.get("rowsDeleted").asLong()).isZero();
        assertThat(json.get("interlocks").findValuesAsText("name")).containsExactly("flip recorded",
                "replication cut", "no misrouted writes over purge.quiet.window.ms", "capture healthy and caught up",
                "last verdict PASS");
        assertThat(json.get("interlocks").findValuesAsText("holds")).containsOnly("false");
        // No broker answers at the config's address: both interlocks read from the shard map refuse.
        assertThat(json.get("reason").asText()).contains(
                "no misrouted writes over purge.quiet.window.ms: REFUSED (cannot tell: ",
                "capture healthy and caught up: REFUSED (cannot read capture's status: Kafka at 127.0.0.1:9092 did not"
                        + " answer",
                "flip recorded: REFUSED (cannot read the shard map", "last verdict PASS: REFUSED (cannot read the shard map",
                "replication cut: REFUSED (cannot check: p1-a");
        assertThat(run.err()).contains("REFUSED: nothing deleted");
    }

    @Test
    void shardOutOfRangeIsAUsageError() throws IOException {
        Run run = purge("--config", config("").toString(), "--shard", "4");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains("--shard 4 is out of range: the split has 4 new shards, expected an integer"
                + " in [0, 3]");
    }

    @Test
    void badPurgeKeysAreUsageErrorsNamingTheKey() throws IOException {
        Run bad = purge("--config", config("purge: {max.replica.lag.ms: 5}").toString(), "--shard", "0");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("purge.max.replica.lag.ms");

        Run crossed = purge("--config", config("purge: {max.replica.lag.ms: 5000, abort.replica.lag.ms: 4000}")
                .toString(), "--shard", "0");
        assertThat(crossed.exitCode()).isEqualTo(2);
        assertThat(crossed.err()).contains("purge.abort.replica.lag.ms 4000 must be above purge.max.replica.lag.ms");

        Run rate = purge("--config", config("").toString(), "--shard", "0", "--max-rows-per-second", "-1");
        assertThat(rate.exitCode()).isEqualTo(2);
    }

    @Test
    void missingRequiredOptionIsAUsageError() {
        Run run = purge("--shard", "0");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--config");
    }
}
