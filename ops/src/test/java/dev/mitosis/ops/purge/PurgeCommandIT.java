package dev.mitosis.ops.purge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mitosis.testkit.DualMasterPair;
import dev.mitosis.testkit.ItEnvironment;
import dev.mitosis.testkit.MariaDbServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code mitosis purge} against a real cut pair: the dry run prints the plan with exact counts and the interlocks
 * (replication cut holds; with no broker the ones that read Kafka do not) and deletes nothing; the real run is
 * refused, exit 1, naming every interlock that does not hold, and deletes nothing on either server; a broadcast
 * table named by --table is a usage error. {@code PurgeInterlocksIT} runs the command with capture and a flip.
 */
class PurgeCommandIT {

    private static DualMasterPair pair;
    private static Path config;

    @BeforeAll
    static void startCutPair() throws IOException {
        Path dir = ItEnvironment.dirFor(PurgeCommandIT.class);
        MariaDbServer.Builder[] b = DualMasterPair.builders(dir, "p0", 0);
        pair = DualMasterPair.start(b[0].port(ItEnvironment.port(0)), b[1].port(ItEnvironment.port(1)));
        pair.a().execute("CREATE DATABASE app",
                "CREATE TABLE app.accounts (id BIGINT AUTO_INCREMENT PRIMARY KEY, uid BIGINT NULL, v INT)",
                "CREATE TABLE app.countries (code CHAR(2) PRIMARY KEY, uid BIGINT)",
                // uid 0..99 and a NULL: on pair 0 of a 1 -> 2 split, A keeps even uids and purges odd ones.
                "INSERT INTO app.accounts (uid, v) SELECT seq, seq FROM app.seq_0_to_99",
                "INSERT INTO app.accounts (uid, v) VALUES (NULL, 0)",
                "INSERT INTO app.countries VALUES ('AT', 1)");
        assertThat(pair.awaitInSync(Duration.ofSeconds(30))).isTrue();
        pair.cut();
        Files.writeString(dir.resolve("a.password"), pair.a().adminPassword());
        Files.writeString(dir.resolve("a0.password"), pair.a0().adminPassword());
        config = dir.resolve("mitosis.yaml");
        Files.writeString(config, String.join("\n",
                "split: {old.shards: 1, new.shards: 2}",
                "schemas: [app]",
                "credentials: {user: mitosis, password.file: a.password}",
                "kafka: {bootstrap.servers: '127.0.0.1:9092'}",
                "pairs:",
                "  - pair: 0",
                "    servers:",
                "      - {name: p0-a, host: 127.0.0.1, port: " + pair.a().port() + "}",
                "      - {name: p0-a0, host: 127.0.0.1, port: " + pair.a0().port() + ", password.file: a0.password}",
                "tables:",
                "  app.countries: {broadcast: true}",
                ""));
    }

    @AfterAll
    static void stopPair() {
        if (pair != null) {
            pair.close();
        }
    }

    private static JsonNode purge(int expectedExit, String... args) throws IOException {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new PurgeCommand());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        assertThat(cli.execute(args)).as(err.toString()).isEqualTo(expectedExit);
        assertThat(out.toString().strip()).doesNotContain("\n");
        return new ObjectMapper().readTree(out.toString());
    }

    @Test
    void dryRunPlansWithExactCountsAndTheRealRunIsRefusedUntilEveryInterlockIsWired() throws IOException {
        JsonNode dry = purge(0, "--config", config.toString(), "--shard", "0", "--dry-run");

        assertThat(dry.get("outcome").asText()).isEqualTo("DRY_RUN");
        JsonNode accounts = dry.get("plan").get("tables").get(0);
        assertThat(dry.get("plan").get("tables")).hasSize(1);
        assertThat(accounts.get("table").asText()).isEqualTo("app.accounts");
        assertThat(accounts.get("counts").get("purge").asLong()).isEqualTo(50);
        assertThat(accounts.get("counts").get("keep").asLong()).isEqualTo(50);
        assertThat(accounts.get("counts").get("nullKey").asLong()).isEqualTo(1);
        assertThat(dry.get("interlocks").get(1).get("name").asText()).isEqualTo("replication cut");
        assertThat(dry.get("interlocks").get(1).get("holds").asBoolean()).isTrue();

        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new PurgeCommand());
        cli.setOut(new PrintWriter(new StringWriter(), true));
        cli.setErr(new PrintWriter(err, true));
        assertThat(cli.execute("--config", config.toString(), "--shard", "0", "--dry-run", "--table", "app.countries"))
                .isEqualTo(2);
        assertThat(err.toString()).contains("table app.countries is not purgeable on p0-a");

        JsonNode run = purge(1, "--config", config.toString(), "--shard", "1");

        assertThat(run.get("outcome").asText()).isEqualTo("REFUSED");
        assertThat(run.get("reason").asText()).contains("flip recorded", "no misrouted writes over"
                + " purge.quiet.window.ms: REFUSED", "capture healthy and caught up: REFUSED", "last verdict PASS")
                .doesNotContain("replication cut: REFUSED");
        assertThat(pair.a().queryString("SELECT COUNT(*) FROM app.accounts")).isEqualTo("101");
        assertThat(pair.a0().queryString("SELECT COUNT(*) FROM app.accounts")).isEqualTo("101");
        assertThat(pair.a0().queryColumn("SHOW DATABASES LIKE '\\_mitosis'")).isEmpty();
    }
}
