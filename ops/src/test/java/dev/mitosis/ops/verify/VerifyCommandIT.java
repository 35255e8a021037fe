package dev.mitosis.ops.verify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mitosis.connectors.config.ConfigException;
import dev.mitosis.ops.cli.ExitCodes;
import dev.mitosis.ops.cli.OperatorException;
import dev.mitosis.testkit.DualMasterPair;
import dev.mitosis.testkit.ItEnvironment;
import dev.mitosis.testkit.KafkaBroker;
import dev.mitosis.testkit.MariaDbServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code mitosis verify} and {@code mitosis gate} on a real pair and broker: exit codes, one JSON object on
 * stdout, progress on stderr, report files, the --diff-file, and the verdict stored in Kafka for the gate.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class VerifyCommandIT {

    private static final String PASSWORD = "verify-it-secret";
    private static Path dir;
    private static DualMasterPair pair;
    private static KafkaBroker broker;
    private static Path config;

    @BeforeAll
    static void start() throws Exception {
        dir = ItEnvironment.dirFor(VerifyCommandIT.class);
        broker = KafkaBroker.inDir(dir.resolve("kafka"), ItEnvironment.port(2), ItEnvironment.port(3), false).start();
        MariaDbServer.Builder[] b = DualMasterPair.builders(dir, "p0", 0);
        pair = DualMasterPair.start(b[0].port(ItEnvironment.port(0)).adminPassword(PASSWORD),
                b[1].port(ItEnvironment.port(1)).adminPassword(PASSWORD));
        pair.a().execute("CREATE DATABASE app",
                "CREATE TABLE app.t (id INT PRIMARY KEY, name VARCHAR(20), amount DECIMAL(10,2))",
                "USE app", "INSERT INTO app.t SELECT seq, CONCAT('n', seq), seq / 100 FROM seq_1_to_3000");
        assertThat(pair.awaitInSync(Duration.ofSeconds(30))).isTrue();
        Files.writeString(dir.resolve("password"), PASSWORD + "\n");
        config = dir.resolve("mitosis.yaml");
        Files.writeString(config, """
                split:
                  old.shards: 1
                  new.shards: 2
                schemas: [app]
                credentials:
                  user: mitosis
                  password.file: password
                kafka:
                  bootstrap.servers: %s
                pairs:
                  - pair: 0
                    servers:
                      - name: p0-a
                        host: 127.0.0.1
                        port: %d
                      - name: p0-a0
                        host: 127.0.0.1
                        port: %d
                verify:
                  chunk.initial.rows: 500
                """.formatted(broker.bootstrapServers(), pair.a().port(), pair.a0().port()));
    }

    @AfterAll
    static void stop() {
        if (pair != null) {
            pair.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    /** One run, with the exit-code mapping Main gives every command. */
    record Run(int code, String out, String err) {
        JsonNode json() throws Exception {
            assertThat(out.strip()).as("stdout: one JSON line; stderr: %s", err).doesNotContain("\n").startsWith("{");
            return new ObjectMapper().readTree(out);
        }
    }

    private static Run run(Callable<Integer> command, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(command);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        cli.setExecutionExceptionHandler((e, c, p) -> {
            if (e instanceof OperatorException o) {
                c.getErr().println("mitosis: " + o.getMessage());
                return o.exitCode();
            }
            if (e instanceof ConfigException) {
                return ExitCodes.USAGE;
            }
            throw e;
        });
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private static String[] args(String... more) {
        List<String> all = new java.util.ArrayList<>(List.of("--config", config.toString(), "--pair", "0"));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    @Test
    @Order(1)
    void anIdenticalPairPassesAndTheGateReadsThePassFromKafka() throws Exception {
        Path reports = dir.resolve("reports-pass");
        Run verify = run(new VerifyCommand(), args("--once", "--report-dir", reports.toString()));
        assertThat(verify.code()).as(verify.err()).isEqualTo(0);
        JsonNode json = verify.json();
        assertThat(json.get("verdict").asText()).isEqualTo("PASS");
        assertThat(json.get("coverage").get("rowsA").asLong()).isEqualTo(3000);
        assertThat(json.get("stored").asText()).isEqualTo("kafka:mitosis.verdicts");
        assertThat(verify.err()).contains("app.t: PASS");
        assertThat(reports.resolve("report.json")).exists();
        assertThat(reports.resolve("report.txt")).exists();
        assertThat(reports.resolve("report.html")).exists();

        Run gate = run(new GateCommand(), args("--max-age", "10m"));
        assertThat(gate.code()).as(gate.err()).isEqualTo(0);
        assertThat(gate.json().get("verdict").asText()).isEqualTo("PASS");
        assertThat(gate.json().get("coverage").get("chunksCompared").asLong()).isPositive();

        Run stale = run(new GateCommand(), args("--max-age", "1ms"));
        assertThat(stale.code()).isEqualTo(3);
        assertThat(stale.json().get("reason").asText()).contains("older than");
    }

    @Test
    @Order(2)
    void aThousandDifferencesAreAllListedAndTheirRepairMakesThePairPass() throws Exception {
        pair.a0().execute("SET sql_log_bin=0", "UPDATE app.t SET name = UPPER(name) WHERE id % 3 = 0 AND id < 3000",
                "DELETE FROM app.t WHERE id = 1501");
        Path reports = dir.resolve("reports-fail");
        Path diffs = dir.resolve("diffs.jsonl");
        Run verify = run(new VerifyCommand(), args("--once", "--report-dir", reports.toString(),
                "--diff-file", diffs.toString(), "--store", "files"));
        assertThat(verify.code()).as(verify.err()).isEqualTo(1);
        assertThat(verify.json().get("coverage").get("differences").asLong()).isEqualTo(1000);
        List<String> lines = Files.readAllLines(diffs);
        assertThat(lines).hasSize(1000);
        assertThat(lines).filteredOn(l -> l.contains("\"ONLY_ON_A\"")).hasSize(1).allMatch(l -> l.contains("\"1501\""));
        assertThat(Files.readString(reports.resolve("report.txt"))).contains("and 990 more");

        Run gate = run(new GateCommand(), args("--store", "files", "--report-dir", reports.toString()));
        assertThat(gate.code()).isEqualTo(1);
        assertThat(gate.json().get("verdict").asText()).isEqualTo("FAIL");

        Path sql = dir.resolve("repair-on-a0.sql");
        Run repair = run(new VerifyCommand(), "repair-sql", "--from", diffs.toString(), "--source", "A",
                "--out", sql.toString());
        assertThat(repair.code()).as(repair.err()).isEqualTo(0);
        assertThat(repair.json().get("statements").asLong()).isEqualTo(1000);
        List<String> statements = Files.readAllLines(sql).stream().filter(l -> !l.startsWith("--")).toList();
        pair.a0().execute(statements.toArray(String[]::new));
        assertThat(pair.awaitInSync(Duration.ofSeconds(30))).isTrue();

        Run again = run(new VerifyCommand(), args("--once", "--report-dir", reports.toString(), "--store", "files"));
        assertThat(again.code()).as(again.out()).isEqualTo(0);
    }

    @Test
    @Order(4)
    void aRunKilledWithSigkillResumesFromItsCheckpointToTheSameVerdict() throws Exception {
        pair.a().execute("INSERT INTO app.t SELECT seq, CONCAT('m', seq), seq / 100 FROM app.seq_3001_to_12000");
        assertThat(pair.awaitInSync(Duration.ofSeconds(30))).isTrue();
        Path smallChunks = dir.resolve("small-chunks.yaml");
        Files.writeString(smallChunks, Files.readString(config).replace("chunk.initial.rows: 500",
                "chunk.initial.rows: 20\n  chunk.max.rows: 20"));
        Path reports = dir.resolve("reports-killed");
        String[] verifyArgs = {"--config", smallChunks.toString(), "--pair", "0", "--once", "--store", "files",
            "--report-dir", reports.toString()};
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), VerifyChild.class.getName()));
        command.addAll(List.of(verifyArgs));
        Process child = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("child.log").toFile()).start();
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                    .until(() -> Files.exists(reports.resolve("checkpoint.json")) || !child.isAlive());
            assertThat(child.isAlive()).as("the child must still run when killed; log: %s",
                    dir.resolve("child.log")).isTrue();
            new ProcessBuilder("kill", "-9", Long.toString(child.pid())).start().waitFor();
            assertThat(child.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        } finally {
            child.destroyForcibly();
        }
        assertThat(child.exitValue()).isEqualTo(137);
        assertThat(reports.resolve("checkpoint.json")).exists();
        assertThat(reports.resolve("report.json")).doesNotExist();

        Run resumed = run(new VerifyCommand(), verifyArgs);
        assertThat(resumed.code()).as(resumed.err()).isEqualTo(0);
        assertThat(resumed.json().get("resumed").asBoolean()).isTrue();
        assertThat(resumed.err()).contains("resuming");
        Run fresh = run(new VerifyCommand(), "--config", smallChunks.toString(), "--pair", "0", "--once", "--store",
                "files", "--report-dir", dir.resolve("reports-fresh").toString());
        assertThat(resumed.json().get("verdict").asText()).isEqualTo(fresh.json().get("verdict").asText())
                .isEqualTo("PASS");
        assertThat(resumed.json().get("coverage").get("rowsA").asLong())
                .isEqualTo(fresh.json().get("coverage").get("rowsA").asLong()).isEqualTo(12_000);
        assertThat(resumed.json().get("coverage").get("chunksCompared").asLong())
                .isEqualTo(fresh.json().get("coverage").get("chunksCompared").asLong());
        assertThat(reports.resolve("checkpoint.json")).doesNotExist();
    }

    @Test
    @Order(5)
    void withoutOnceItVerifiesAgainAfterEveryPassUntilInterrupted() throws Exception {
        Path reports = dir.resolve("reports-continuous");
        Run[] result = new Run[1];
        Thread loop = new Thread(() -> result[0] = run(new VerifyCommand(), args("--store", "files", "--interval",
                "100ms", "--report-dir", reports.toString())));
        loop.start();
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(reports.resolve("verdicts.jsonl"))
                    && Files.readAllLines(reports.resolve("verdicts.jsonl")).size() >= 2);
        } finally {
            loop.interrupt();
            loop.join(30_000);
        }
        assertThat(result[0].code()).isEqualTo(ExitCodes.INTERRUPTED);
        assertThat(result[0].out().lines().toList()).hasSizeGreaterThanOrEqualTo(2)
                .allMatch(line -> line.startsWith("{\"pair\":0,\"verdict\":\"PASS\""));
    }

    @Test
    @Order(6)
    void continuousModeStopsOnSigtermWith143AfterTheCheckpoint() throws Exception {
        Path smallChunks = dir.resolve("tiny-chunks.yaml");
        Files.writeString(smallChunks, Files.readString(config).replace("chunk.initial.rows: 500",
                "chunk.initial.rows: 5\n  chunk.max.rows: 5"));
        Path reports = dir.resolve("reports-sigterm");
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), VerifyChild.class.getName(),
                "--config", smallChunks.toString(), "--pair", "0", "--store", "files", "--report-dir",
                reports.toString()));
        Process child = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("child-sigterm.log").toFile()).start();
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                    .until(() -> Files.exists(reports.resolve("checkpoint.json")) || !child.isAlive());
            assertThat(child.isAlive()).as("log: %s", dir.resolve("child-sigterm.log")).isTrue();
            new ProcessBuilder("kill", "-TERM", Long.toString(child.pid())).start().waitFor();
            assertThat(child.waitFor(40, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        } finally {
            child.destroyForcibly();
        }
        assertThat(child.exitValue()).isEqualTo(143);
        // Stopped mid-pass: the checkpoint stays for the next run to resume from, and no partial verdict is stored.
        assertThat(reports.resolve("checkpoint.json")).exists();
        assertThat(reports.resolve("verdicts.jsonl")).doesNotExist();
    }

    @Test
    @Order(3)
    void badInputIsAUsageError() {
        assertThat(run(new VerifyCommand(), args("--once", "--table", "nodot")).code()).isEqualTo(2);
        assertThat(run(new VerifyCommand(), "--config", config.toString(), "--pair", "7", "--once").code()).isEqualTo(2);
        assertThat(run(new GateCommand(), args("--max-age", "ten minutes")).code()).isEqualTo(2);
        assertThat(run(new VerifyCommand(), "--pair", "0").code()).isEqualTo(2);
        assertThat(run(new VerifyCommand(), "repair-sql", "--from", dir.resolve("none").toString(), "--source", "A",
                "--out", dir.resolve("x.sql").toString()).code()).isEqualTo(2);
    }
}
