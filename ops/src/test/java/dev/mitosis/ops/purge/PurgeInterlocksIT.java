package dev.mitosis.ops.purge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mitosis.connectors.capture.CaptureState;
import dev.mitosis.connectors.capture.CaptureStatusStore;
import dev.mitosis.connectors.kafka.KafkaClients;
import dev.mitosis.connectors.routing.GateRecord;
import dev.mitosis.connectors.routing.RoutingStore;
import dev.mitosis.connectors.routing.ShardEndpoint;
import dev.mitosis.connectors.routing.ShardMapVersion;
import dev.mitosis.connectors.topology.MitosisConfig;
import dev.mitosis.connectors.topology.MitosisConfigLoader;
import dev.mitosis.ops.ChildJvm;
import dev.mitosis.ops.OnePairFleet;
import dev.mitosis.ops.capture.CaptureCommandMain;
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

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Interlocks (3) and (4) and the capture cause of the throttle with the real capture of a real pair: the flip is
 * published, the peer's write of a uid A does not own replicates into A's binlog and does not count, a local
 * misrouted write on A refuses the purge naming it, and nothing is deleted on either server; with capture stopped
 * the purge is refused naming capture; once the quiet window passed, a purge runs, pauses while capture is stopped
 * in the middle of it (the reason names capture), resumes when capture is back and caught up, and reports the run
 * archived. Split 1 → 2: A (new shard 0) keeps even uids and purges odd ones.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PurgeInterlocksIT {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final long QUIET_WINDOW_MS = 5_000;
    private static final String PASSWORD = "purge-interlocks-it";
    private static final int ROWS = 4_000;
    private static KafkaBroker broker;
    private static DualMasterPair pair;
    private static Path config;
    private static MitosisConfig loaded;
    private static Path dir;
    /** {@code mitosis capture --servers p0-a} in a child JVM, as an operator runs it; SIGTERM stops it. */
    private static Process capture;
    private static int captureStarts;
    private static Instant flippedAt;

    @BeforeAll
    static void startFleetCaptureAndFlip() throws IOException {
        dir = ItEnvironment.dirFor(PurgeInterlocksIT.class);
        broker = KafkaBroker.inDir(dir.resolve("kafka"), ItEnvironment.port(2), ItEnvironment.port(3), false).start();
        MariaDbServer.Builder[] b = DualMasterPair.builders(dir, "p0", 0);
        pair = DualMasterPair.start(b[0].port(ItEnvironment.port(0)).adminPassword(PASSWORD),
                b[1].port(ItEnvironment.port(1)).adminPassword(PASSWORD));
        pair.a().execute("CREATE DATABASE app",
                "CREATE TABLE app.accounts (id BIGINT AUTO_INCREMENT PRIMARY KEY, uid BIGINT NULL, v INT)",
                "CREATE TABLE app.countries (code CHAR(2) PRIMARY KEY, uid BIGINT)",
                "INSERT INTO app.accounts (uid, v) SELECT seq, seq FROM app.seq_0_to_" + (ROWS - 1),
                "INSERT INTO app.countries VALUES ('AT', 1)");
        assertThat(pair.awaitInSync(WAIT)).isTrue();
        Files.writeString(dir.resolve("password"), PASSWORD + "\n");
        config = Files.writeString(dir.resolve("mitosis.yaml"), String.join("\n",
                OnePairFleet.yaml(pair, broker.bootstrapServers(), "it", "p0"),
                "tables:",
                "  app.countries: {broadcast: true}",
                "purge: {quiet.window.ms: " + QUIET_WINDOW_MS + ", capture.status.max.age.ms: 5000,"
                        + " archive.wait.ms: 20000}",
                ""));
        loaded = new MitosisConfigLoader(Map.<String, String>of()::get).load(config);
        startCapture();
        // The flip (publish stamps its own time); the purge may start once a quiet window has passed since.
        RoutingStore routing = new RoutingStore(new KafkaClients(loaded.kafka()));
        routing.ensureTopics();
        String now = Instant.now().toString();
        routing.publish(new ShardMapVersion(1, 2, List.of(
                new ShardEndpoint(0, "p0-a", "127.0.0.1", pair.a().port()),
                new ShardEndpoint(1, "p0-a0", "127.0.0.1", pair.a0().port())), now, "it", false,
                List.of(new GateRecord(0, "PASS", now, "verified"))), 0);
        flippedAt = Instant.parse(routing.latest().orElseThrow().publishedAt());
    }

    @AfterAll
    static void stopAll() {
        try {
            if (capture != null) {
                capture.destroyForcibly();
            }
            if (pair != null) {
                pair.close();
            }
        } finally {
            if (broker != null) {
                broker.stop();
            }
        }
    }

    /** Starts capture of A (from its stored offset after the first time) and waits for its RUNNING status. */
    private static void startCapture() {
        captureStarts++;
        try {
            capture = ChildJvm.start(dir, "capture-" + captureStarts, CaptureCommandMain.class, "--config",
                    config.toString(), "--servers", "p0-a", "--status-interval-s", "1");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Instant started = Instant.now();
        try (CaptureStatusStore statuses = new CaptureStatusStore(new KafkaClients(loaded.kafka()),
                Duration.ofSeconds(10))) {
            await().atMost(WAIT).until(() -> statuses.latest("p0-a").map(s -> s.state() == CaptureState.RUNNING
                    && s.publishedAt().isAfter(started)).orElse(false));
        }
    }

    /** SIGTERM to capture of A; waits until it exited and its status no longer says it runs. */
    private static void stopCapture() {
        capture.destroy();
        try {
            assertThat(capture.waitFor(30, TimeUnit.SECONDS)).as("capture exits after SIGTERM").isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        try (CaptureStatusStore statuses = new CaptureStatusStore(new KafkaClients(loaded.kafka()),
                Duration.ofSeconds(10))) {
            await().atMost(WAIT).until(() -> statuses.latest("p0-a").map(s -> s.state() != CaptureState.RUNNING
                    || s.publishedAt().isBefore(Instant.now().minusMillis(5_000))).orElse(true));
        }
    }

    private record Run(int exitCode, JsonNode json, String err) {
        JsonNode interlock(String name) {
            for (JsonNode i : json.get("interlocks")) {
                if (i.get("name").asText().equals(name)) {
                    return i;
                }
            }
            throw new AssertionError("no interlock " + name + " in " + json);
        }
    }

    private static Run purge(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new PurgeCommand());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        try {
            assertThat(out.toString().strip()).as(err.toString()).doesNotContain("\n");
            return new Run(code, new ObjectMapper().readTree(out.toString()), err.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long count(MariaDbServer server) {
        return Long.parseLong(server.queryString("SELECT COUNT(*) FROM app.accounts"));
    }

    @Test
    @Order(1)
    void theReplicatedWriteDoesNotCountALocalMisroutedWriteRefusesNamingItAndNothingIsDeleted() {
        Instant quietSince = flippedAt.plusMillis(QUIET_WINDOW_MS);
        await().atMost(WAIT).until(() -> Instant.now().isAfter(quietSince));
        // A0 (new shard 1) writes odd uid 4001: it replicates into A's binlog, marked as the peer's.
        pair.a0().execute("INSERT INTO app.accounts (uid, v) VALUES (4001, -1)");
        assertThat(pair.awaitInSync(WAIT)).isTrue();
        pair.cut();

        Run clean = purge("--config", config.toString(), "--shard", "0", "--dry-run");
        assertThat(clean.exitCode()).as(clean.err()).isZero();
        JsonNode misrouted = clean.interlock("no misrouted writes over purge.quiet.window.ms");
        assertThat(misrouted.get("holds").asBoolean()).as(misrouted.toString()).isTrue();
        assertThat(misrouted.get("reason").asText()).contains("the stream is complete up to");
        assertThat(clean.interlock("capture healthy and caught up").get("holds").asBoolean()).isTrue();

        // A itself takes a write of odd uid 4003: a client still routes by the old map.
        pair.a().execute("INSERT INTO app.accounts (uid, v) VALUES (4003, -2)");
        long onA = count(pair.a());
        long onA0 = count(pair.a0());

        Run refused = purge("--config", config.toString(), "--shard", "0");

        assertThat(refused.exitCode()).as(refused.err()).isEqualTo(1);
        assertThat(refused.json().get("outcome").asText()).isEqualTo("REFUSED");
        String reason = refused.json().get("reason").asText();
        assertThat(reason).contains("no misrouted writes over purge.quiet.window.ms: REFUSED (misrouted write: insert"
                + " of app.accounts uid=4003 on p0-a (GTID ", "owned by new shard 1)")
                .containsPattern("uid=4003 on p0-a \\(GTID " + pair.a().gtidDomainId() + "-" + pair.a().serverId()
                        + "-\\d+, at 20")
                .doesNotContain("4001", "capture healthy and caught up: REFUSED", "replication cut: REFUSED",
                        "flip recorded: REFUSED", "last verdict PASS: REFUSED");
        assertThat(count(pair.a())).isEqualTo(onA);
        assertThat(count(pair.a0())).isEqualTo(onA0);
        assertThat(pair.a().queryColumn("SHOW DATABASES LIKE '\\_mitosis'")).isEmpty();
    }

    @Test
    @Order(2)
    void withCaptureStoppedThePurgeIsRefusedNamingCapture() {
        stopCapture();
        long onA = count(pair.a());
        long onA0 = count(pair.a0());
        try {
            Run refused = purge("--config", config.toString(), "--shard", "0");

            assertThat(refused.exitCode()).as(refused.err()).isEqualTo(1);
            assertThat(refused.json().get("reason").asText())
                    .containsPattern("capture healthy and caught up: REFUSED \\(capture of p0-a (is STOPPED|last"
                            + " reported)");
            assertThat(count(pair.a())).isEqualTo(onA);
            assertThat(count(pair.a0())).isEqualTo(onA0);
        } finally {
            startCapture();
        }
    }

    @Test
    @Order(3)
    void aPurgePausesWhileCaptureIsStoppedResumesWhenItIsBackAndIsReportedArchived() throws Exception {
        MariaDbServer a = pair.a();
        long odd = Long.parseLong(a.queryString("SELECT COUNT(*) FROM app.accounts WHERE MOD(uid, 2) = 1"));
        long onA0 = count(pair.a0());
        String a0Gtid = pair.a0().gtidBinlogPos();
        // The misrouted write of the first test has left the quiet window.
        await().atMost(WAIT).pollInterval(Duration.ofSeconds(1)).until(() -> purge("--config", config.toString(),
                "--shard", "0", "--dry-run").interlock("no misrouted writes over purge.quiet.window.ms")
                .get("holds").asBoolean());

        StringWriter err = new StringWriter();
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(new PurgeCommand());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> cli.execute("--config",
                config.toString(), "--shard", "0", "--max-rows-per-second", "300"));
        long paused;
        int exit;
        try {
            try {
                await().atMost(WAIT).until(() -> deletedSoFar(a) > 0);
                stopCapture();
                await().atMost(WAIT).until(() -> err.toString().contains("throttle: paused: capture of p0-a"));
                paused = deletedSoFar(a);
                await().during(Duration.ofSeconds(2)).atMost(WAIT).until(() -> deletedSoFar(a) == paused);
            } finally {
                startCapture();
            }
            await().atMost(WAIT).until(() -> deletedSoFar(a) > paused);
            exit = run.get(180, TimeUnit.SECONDS);
        } catch (org.awaitility.core.ConditionTimeoutException | java.util.concurrent.TimeoutException e) {
            throw new AssertionError(e.getMessage() + "; the purge said:\n" + err, e);
        }

        assertThat(exit).as(err.toString()).isZero();
        JsonNode json = new ObjectMapper().readTree(out.toString());
        assertThat(json.get("outcome").asText()).isEqualTo("DONE");
        assertThat(json.get("rowsDeleted").asLong()).isEqualTo(odd);
        assertThat(paused).isPositive().isLessThan(odd);
        assertThat(json.get("archived").asBoolean()).as(json.get("archive").toString()).isTrue();
        assertThat(err.toString()).containsPattern("throttle: paused: capture of p0-a (is STOPPED|last reported)")
                .contains("archived: true")
                // Right after the cut A may still list A0 as a replica; it is not watched.
                .doesNotContain("watching replica server_id=" + pair.a0().serverId());
        assertThat(a.queryString("SELECT COUNT(*) FROM app.accounts WHERE MOD(uid, 2) = 1")).isEqualTo("0");
        assertThat(count(pair.a0())).isEqualTo(onA0);
        assertThat(pair.a0().gtidBinlogPos()).isEqualTo(a0Gtid);
        System.err.println("PurgeInterlocksIT: " + odd + " rows purged in " + json.get("elapsedMs").asLong()
                + " ms, paused at " + paused + " while capture was stopped; archive " + json.get("archive"));
    }

    private static long deletedSoFar(MariaDbServer server) {
        if ("0".equals(server.queryString("SELECT COUNT(*) FROM information_schema.TABLES"
                + " WHERE TABLE_SCHEMA = '_mitosis' AND TABLE_NAME = 'purge_checkpoint'"))) {
            return 0;
        }
        String v = server.queryString("SELECT COALESCE(SUM(rows_deleted), 0) FROM _mitosis.purge_checkpoint"
                + " WHERE new_shard = 0");
        return v == null ? 0 : Long.parseLong(v);
    }
}
