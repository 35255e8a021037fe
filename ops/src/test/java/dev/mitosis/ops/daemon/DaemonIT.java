package dev.mitosis.ops.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mitosis.ops.ChildJvm;
import dev.mitosis.ops.Main;
import dev.mitosis.ops.OnePairFleet;
import dev.mitosis.testkit.DualMasterPair;
import dev.mitosis.testkit.ItEnvironment;
import dev.mitosis.testkit.KafkaBroker;
import dev.mitosis.testkit.MariaDbServer;
import dev.mitosis.testkit.Ports;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * {@code mitosis daemon} in its own JVM on a real pair and broker, driven over real HTTP: it becomes ready with
 * capture running on both servers, its continuous verification makes {@code /gate} say 200 for a fresh PASS, keeps
 * that PASS at the servers' newest positions by refreshes from the change stream, and says 409 as soon as a refresh
 * re-reads a row that differs — without a new full pass, {@code /metrics} is Prometheus text, {@code /control} needs the token and routes pause and
 * rate into the shard's control file, a purge asked for through it is refused by the same interlocks as
 * {@code mitosis purge} and deletes nothing, and SIGTERM stops it in order within the budget with exit 143.
 */
class DaemonIT {

    private static final String PASSWORD = "daemon-it-password";
    private static final String TOKEN = "daemon-it-token-0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Path dir;
    private static KafkaBroker broker;
    private static DualMasterPair pair;
    private static Path config;
    private static int httpPort;

    @BeforeAll
    static void start() throws Exception {
        dir = ItEnvironment.dirFor(DaemonIT.class);
        broker = KafkaBroker.inDir(dir.resolve("kafka"), ItEnvironment.port(0), ItEnvironment.port(1), false).start();
        MariaDbServer.Builder[] b = DualMasterPair.builders(dir, "p0", 0);
        b[0].port(ItEnvironment.port(2)).adminPassword(PASSWORD);
        b[1].port(ItEnvironment.port(3)).adminPassword(PASSWORD);
        pair = DualMasterPair.start(b[0], b[1]);
        pair.a().execute("CREATE DATABASE app",
                "CREATE TABLE app.users (id BIGINT PRIMARY KEY, uid BIGINT, name VARCHAR(40))",
                "INSERT INTO app.users SELECT seq, seq, CONCAT('user-', seq) FROM app.seq_1_to_500");
        assertThat(pair.awaitInSync(Duration.ofSeconds(30))).isTrue();
        httpPort = ItEnvironment.port(4) != 0 ? ItEnvironment.port(4) : Ports.free();
        Files.writeString(dir.resolve("password"), PASSWORD + "\n");
        Files.writeString(dir.resolve("token"), TOKEN + "\n");
        config = dir.resolve("mitosis.yaml");
        Files.writeString(config, String.join("\n",
                OnePairFleet.yaml(pair, broker.bootstrapServers(), null, "p0"),
                "verify: {recheck.max.attempts: 2, recheck.wait.ms: 2000}",
                "daemon: {verify.interval.ms: 3600000, verify.refresh.interval.ms: 200, state.dir: state}",
                "http: {port: " + httpPort + ", token.file: token}",
                ""));
    }

    @AfterAll
    static void stop() {
        try {
            if (pair != null) {
                pair.close();
            }
        } finally {
            if (broker != null) {
                broker.stop();
            }
        }
    }

    @Test
    void servesStatusGateMetricsAndControlOverHttpThenStopsInOrderOnSigterm() throws Exception {
        Path stdout = dir.resolve("daemon.out");
        Process daemon = ChildJvm.start(dir, "daemon", Main.class, "daemon", "--config", config.toString(),
                "--status-interval-s", "5");
        try {
            await().atMost(Duration.ofSeconds(90)).ignoreExceptions().until(() -> get("/ready").statusCode() == 200);
            assertThat(get("/health").statusCode()).isEqualTo(200);

            // Continuous verification: a fresh PASS opens the gate, with its coverage.
            await().atMost(Duration.ofSeconds(90)).until(() -> get("/gate?pair=0").statusCode() == 200);
            JsonNode gate = JSON.readTree(get("/gate?pair=0").body());
            assertThat(gate.path("verdict").asText()).isEqualTo("PASS");
            assertThat(gate.path("coverage").path("tablesCompared").asInt()).isEqualTo(1);
            assertThat(gate.path("coverage").path("rowsA").asLong()).isEqualTo(500);
            assertThat(get("/gate?pair=5").statusCode()).isEqualTo(404);

            JsonNode status = JSON.readTree(get("/status").body());
            assertThat(status.path("state").asText()).isEqualTo("RUNNING");
            JsonNode capture = status.path("workers").get(0);
            assertThat(capture.path("worker").asText()).isEqualTo("capture");
            assertThat(capture.path("servers")).extracting(s -> s.path("server").asText())
                    .containsExactly("p0-a", "p0-a0");
            assertThat(verifyStatus().path("mode").asText()).isEqualTo("continuous");
            assertThat(verifyStatus().path("passes").asLong()).isEqualTo(1);

            HttpResponse<String> metrics = get("/metrics");
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body()).contains("verify_pair_0_verdict").contains("capture_p0_a");

            // Continuous: writes move the PASS to the servers' new positions by refreshes from the change stream,
            // while the next full pass is an hour away.
            for (int id = 1; id <= 3; id++) {
                pair.a().execute("UPDATE app.users SET name = 'renamed' WHERE id = " + id);
            }
            String positionA = pair.a().queryString("SELECT @@gtid_binlog_pos");
            await().atMost(Duration.ofSeconds(60)).until(() -> JSON.readTree(get("/gate?pair=0").body())
                    .path("gtidA").asText().equals(positionA));
            assertThat(get("/gate?pair=0").statusCode()).isEqualTo(200);
            assertThat(verifyStatus().path("lastFrom").asText()).isEqualTo("refresh");
            assertThat(verifyStatus().path("refreshes").asLong()).isPositive();

            // A write that reached A's binlog, so capture's stream, but not A0 (A0 skips its own server id): a row
            // no write of this test touches now differs. The refresh that re-reads it closes the gate with 409,
            // no full pass run. (A write made with sql_log_bin=0 is in no binlog: only the next full pass sees it.)
            String idOfA0 = pair.a0().queryString("SELECT @@server_id");
            long diverged = System.nanoTime();
            pair.a().execute("SET SESSION server_id = " + idOfA0, "UPDATE app.users SET name = 'changed' WHERE id = 7");
            await().atMost(Duration.ofSeconds(60)).until(() -> get("/gate?pair=0").statusCode() == 409);
            System.out.println("DaemonIT divergence to gate 409: " + (System.nanoTime() - diverged) / 1_000_000 + " ms");
            assertThat(JSON.readTree(get("/gate?pair=0").body()).path("verdict").asText()).isEqualTo("FAIL");
            assertThat(verifyStatus().path("passes").asLong()).as("found by a refresh, not a full pass").isEqualTo(1);
            assertThat(pair.a0().queryString("SELECT name FROM app.users WHERE id = 7")).isEqualTo("user-7");

            // Control: the token guards it; pause and rate go to the shard's control file.
            assertThat(post("", null).statusCode()).isEqualTo(401);
            assertThat(post("action=pause&shard=1", "not-the-token-not-the-token").statusCode()).isEqualTo(401);
            assertThat(post("action=pause&shard=1", TOKEN).statusCode()).isEqualTo(200);
            assertThat(post("action=rate&rows.per.second=250&shard=1", TOKEN).statusCode()).isEqualTo(200);
            assertThat(post("action=purge", TOKEN).statusCode()).isEqualTo(400);
            assertThat(post("action=pause&shard=9", TOKEN).statusCode()).isEqualTo(400);
            Path controlFile = dir.resolve("state").resolve("purge").resolve("shard-1.control");
            assertThat(Files.readString(controlFile)).contains("pause").contains("rate=250");

            // A purge asked for goes through the interlocks of `mitosis purge`: no flip, no cut — refused.
            assertThat(post("action=purge&shard=1", TOKEN).statusCode()).isEqualTo(202);
            await().atMost(Duration.ofSeconds(60)).until(() -> purgeOf(1).path("state").asText().equals("REFUSED"));
            assertThat(purgeOf(1).path("reason").asText()).contains("flip recorded").contains("replication cut");
            assertThat(purgeOf(1).path("paused").asBoolean()).isTrue();
            assertThat(pair.a0().queryString("SELECT COUNT(*) FROM app.users")).isEqualTo("500");

            long sent = System.nanoTime();
            daemon.destroy();
            assertThat(daemon.waitFor(30, TimeUnit.SECONDS)).as("stopped within the 20 s budget").isTrue();
            System.out.println("DaemonIT SIGTERM to exit: " + (System.nanoTime() - sent) / 1_000_000 + " ms");
            assertThat(daemon.exitValue()).isEqualTo(143);
            JsonNode summary = JSON.readTree(Files.readString(stdout).strip());
            assertThat(summary.path("command").asText()).isEqualTo("daemon");
            assertThat(summary.path("state").asText()).isEqualTo("STOPPED");
            assertThat(summary.path("shutdown").fieldNames()).toIterable()
                    .containsSubsequence("control", "purge", "verify", "work", "capture", "http");
            assertThat(summary.path("shutdown").path("capture").asText()).isEqualTo("STOPPED");
            assertThatThrownBy(() -> get("/health")).isInstanceOf(ConnectException.class);
        } finally {
            daemon.destroyForcibly();
        }
    }

    private JsonNode verifyStatus() throws Exception {
        return new DaemonHttp(httpPort).worker("verify");
    }

    private JsonNode purgeOf(int shard) throws Exception {
        return new DaemonHttp(httpPort).worker(w -> w.path("worker").asText().equals("purge")
                && w.path("shard").asInt() == shard);
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return new DaemonHttp(httpPort).get(path);
    }

    private HttpResponse<String> post(String body, String token) throws IOException, InterruptedException {
        return new DaemonHttp(httpPort).control(body, token);
    }
}
