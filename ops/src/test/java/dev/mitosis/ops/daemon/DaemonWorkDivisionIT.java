package dev.mitosis.ops.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Purge work divided through a Kafka consumer group. Two fleets with the same rows go through the same runbook
 * (verify, flip, cut); then fleet X's new shard 1 is purged by one daemon and fleet Y's by two daemons of one work
 * group, one of which is stopped half-way so its units (whole tables here, {@code work.ranges.per.table: 1};
 * {@link DaemonRangeDivisionIT} divides key ranges) move to the other and resume from their checkpoints. The rows
 * left on every server of Y equal those left on X, table by table, and both daemons of Y purged tables. X's
 * purge, asked for inside the quiet window after the flip, is refused first and starts by itself once it passed.
 */
class DaemonWorkDivisionIT {

    private static final String PASSWORD = "work-division-it-pw";
    private static final String TOKEN = "work-division-token-0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int TABLES = 6;
    private static final int ROWS = 400;

    private static Path dir;
    private static KafkaBroker broker;
    private static DualMasterPair x;
    private static DualMasterPair y;

    @BeforeAll
    static void start() throws Exception {
        dir = ItEnvironment.dirFor(DaemonWorkDivisionIT.class);
        broker = KafkaBroker.inDir(dir.resolve("kafka"), ItEnvironment.port(0), ItEnvironment.port(1), false).start();
        x = pair("x", 2);
        y = pair("y", 4);
        Files.writeString(dir.resolve("password"), PASSWORD + "\n");
        Files.writeString(dir.resolve("token"), TOKEN + "\n");
    }

    private static DualMasterPair pair(String name, int port) {
        MariaDbServer.Builder[] b = DualMasterPair.builders(dir.resolve(name), name, 0);
        b[0].port(ItEnvironment.port(port)).adminPassword(PASSWORD);
        b[1].port(ItEnvironment.port(port + 1)).adminPassword(PASSWORD);
        DualMasterPair pair = DualMasterPair.start(b[0], b[1]);
        pair.a().execute("CREATE DATABASE app");
        for (int t = 0; t < TABLES; t++) {
            pair.a().execute("CREATE TABLE app.t" + t + " (id BIGINT PRIMARY KEY, uid BIGINT, v VARCHAR(20))",
                    "INSERT INTO app.t" + t + " SELECT seq, seq * 7 + " + t + ", CONCAT('v', seq) FROM app.seq_1_to_" + ROWS);
        }
        assertThat(pair.awaitInSync(Duration.ofSeconds(60))).isTrue();
        return pair;
    }

    @AfterAll
    static void stop() {
        try {
            for (DualMasterPair p : new DualMasterPair[] {x, y}) {
                if (p != null) {
                    p.close();
                }
            }
        } finally {
            if (broker != null) {
                broker.stop();
            }
        }
    }

    /** A config for fleet {@code name}; {@code daemon} is the daemon section. */
    private static Path config(String name, DualMasterPair pair, String file, int httpPort, String daemon)
            throws IOException {
        return Files.writeString(dir.resolve(file), String.join("\n",
                OnePairFleet.yaml(pair, broker.bootstrapServers(), name, name),
                "purge: {quiet.window.ms: 45000, retry.interval.ms: 1000, max.rows.per.second: 300, chunk.initial.rows: 20,"
                        + " chunk.max.rows: 20}",
                "daemon: {" + daemon + ", work.ranges.per.table: 1, state.dir: state-" + file + "}",
                "http: {port: " + httpPort + ", token.file: token}",
                ""));
    }

    private static void cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        assertThat(code).as(String.join(" ", args) + ": " + err).isZero();
    }

    @Test
    void twoDaemonsOfOneGroupLeaveTheSameRowsAsOneDaemon() throws Exception {
        int portX = Ports.free();
        int portY1 = Ports.free();
        int portY2 = Ports.free();
        try (DaemonProcesses daemons = new DaemonProcesses(dir)) {
            // Runbook up to the purge, for both fleets: capture and verification in the first daemon of each.
            Path x1 = config("x", x, "x1.yaml", portX, "work.group: gx");
            Path y1 = config("y", y, "y1.yaml", portY1, "work.group: gy");
            Path y2 = config("y", y, "y2.yaml", portY2, "work.group: gy, capture.servers: [], verify.pairs: []");
            daemons.start(x1, "x1");
            daemons.start(y1, "y1");
            for (int port : new int[] {portX, portY1}) {
                await().atMost(Duration.ofSeconds(180)).ignoreExceptions()
                        .until(() -> get(port, "/gate?pair=0").statusCode() == 200);
            }
            cli("flip", "--config", x1.toString(), "--to", "2");
            cli("flip", "--config", y1.toString(), "--to", "2");
            x.cut();
            y.cut();
            // Asked for inside the quiet window, X's purge is refused; it checks again every second and starts by
            // itself once the window passed (it ends DONE below with nobody asking again).
            assertThat(post(portX, "action=purge&shard=1").statusCode()).isEqualTo(202);
            await().atMost(Duration.ofSeconds(40)).ignoreExceptions()
                    .until(() -> purge(portX).path("state").asText().equals("REFUSED"));
            assertThat(purge(portX).path("reason").asText()).contains("quiet window");
            assertThat(purge(portX).has("retryAt")).isTrue();
            Process secondY = daemons.start(y2, "y2");
            await().atMost(Duration.ofSeconds(120)).ignoreExceptions().until(() ->
                    owned(portY1) > 0 && owned(portY2) > 0 && owned(portY1) + owned(portY2) == 12);

            for (int port : new int[] {portY1, portY2}) {
                assertThat(post(port, "action=purge&shard=1").statusCode()).isEqualTo(202);
            }
            // Y's second daemon stops once it purged something: its tables move to the first and resume there.
            await().atMost(Duration.ofSeconds(180)).ignoreExceptions()
                    .until(() -> purge(portY2).path("rowsDeleted").asLong() > 0);
            secondY.destroy();
            assertThat(secondY.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(secondY.exitValue()).isEqualTo(143);

            for (int port : new int[] {portX, portY1}) {
                await().atMost(Duration.ofSeconds(300)).ignoreExceptions()
                        .until(() -> purge(port).path("state").asText().equals("DONE"));
            }
            JsonNode y2Summary = JSON.readTree(Files.readString(dir.resolve("y2.out")).strip());
            JsonNode y2Purge = y2Summary.path("status").path("workers").get(0);
            assertThat(y2Purge.path("rowsDeleted").asLong()).isPositive();
            assertThat(purge(portY1).path("tablesDoneHere")).isNotEmpty();

            for (int t = 0; t < TABLES; t++) {
                String sql = "SELECT CONCAT(COUNT(*), ':', COALESCE(SUM(CRC32(CONCAT(id, '/', uid, '/', v))), 0))"
                        + " FROM app.t" + t;
                String keptOnX = x.a0().queryString(sql);
                assertThat(y.a0().queryString(sql)).as("app.t" + t + " on A0").isEqualTo(keptOnX);
                assertThat(x.a0().queryString("SELECT COUNT(*) FROM app.t" + t + " WHERE MOD(uid, 2) = 0"))
                        .isEqualTo("0");
                assertThat(x.a().queryString(sql)).as("A is not purged").isEqualTo(y.a().queryString(sql));
                assertThat(x.a().queryString("SELECT COUNT(*) FROM app.t" + t)).isEqualTo(Integer.toString(ROWS));
            }
        }
    }

    private int owned(int port) throws Exception {
        return new DaemonHttp(port).status().path("work").path("owned").size();
    }

    private JsonNode purge(int port) throws Exception {
        return new DaemonHttp(port).worker("purge");
    }

    private HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return new DaemonHttp(port).get(path);
    }

    private HttpResponse<String> post(int port, String body) throws IOException, InterruptedException {
        return new DaemonHttp(port).control(body, TOKEN);
    }
}
