package dev.mitosis.ops.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mitosis.ops.OnePairFleet;
import dev.mitosis.testkit.DualMasterPair;
import dev.mitosis.testkit.ItEnvironment;
import dev.mitosis.testkit.KafkaBroker;
import dev.mitosis.testkit.MariaDbServer;
import dev.mitosis.testkit.Ports;
import dev.mitosis.verifier.PairReport;
import dev.mitosis.verifier.TableReport;
import dev.mitosis.verifier.Verdict;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Verification divided through a Kafka consumer group. One pair of six tables with one row changed on A0 outside
 * the binlog is verified by one daemon alone (topic prefix {@code s}) and by two daemons of one work group (prefix
 * {@code g}, two work partitions: app.t0..t3 land on one, app.t4, app.t5 and the merge unit on the other). Each of
 * the two verifies only its own tables (disjoint, together the scope); the pair's merged verdict is FAIL naming the
 * same row as the lone daemon's, and once the row is repaired both reach PASS. When the daemon that merges stops,
 * the other takes over its tables and the merge and stores a fresh PASS.
 */
class DaemonVerifyDivisionIT {

    private static final String PASSWORD = "verify-division-it-pw";
    private static final String TOKEN = "verify-division-token-0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int TABLES = 6;
    private static final int ROWS = 300;
    private static final List<String> SCOPE = List.of("app.t0", "app.t1", "app.t2", "app.t3", "app.t4", "app.t5");

    private static Path dir;
    private static KafkaBroker broker;
    private static DualMasterPair pair;

    @BeforeAll
    static void start() throws Exception {
        dir = ItEnvironment.dirFor(DaemonVerifyDivisionIT.class);
        broker = KafkaBroker.inDir(dir.resolve("kafka"), ItEnvironment.port(0), ItEnvironment.port(1), false).start();
        MariaDbServer.Builder[] b = DualMasterPair.builders(dir.resolve("p"), "p", 0);
        b[0].port(ItEnvironment.port(2)).adminPassword(PASSWORD);
        b[1].port(ItEnvironment.port(3)).adminPassword(PASSWORD);
        pair = DualMasterPair.start(b[0], b[1]);
        pair.a().execute("CREATE DATABASE app");
        for (int t = 0; t < TABLES; t++) {
            pair.a().execute("CREATE TABLE app.t" + t + " (id BIGINT PRIMARY KEY, uid BIGINT, v VARCHAR(20))",
                    "INSERT INTO app.t" + t + " SELECT seq, seq * 7 + " + t + ", CONCAT('v', seq) FROM app.seq_1_to_" + ROWS);
        }
        assertThat(pair.awaitInSync(Duration.ofSeconds(60))).isTrue();
        Files.writeString(dir.resolve("password"), PASSWORD + "\n");
        Files.writeString(dir.resolve("token"), TOKEN + "\n");
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

    private static Path config(String prefix, String file, int httpPort, String daemon) throws IOException {
        return Files.writeString(dir.resolve(file), String.join("\n",
                OnePairFleet.yaml(pair, broker.bootstrapServers(), prefix, "p"),
                "daemon: {" + daemon + ", verify.interval.ms: 15000, state.dir: state-" + file + "}",
                "http: {port: " + httpPort + ", token.file: token}",
                ""));
    }

    @Test
    void twoDaemonsOfOneGroupReachTheVerdictsOfOneDaemon() throws Exception {
        // Outside the binlog: only a full pass can find it.
        pair.a0().execute("SET sql_log_bin = 0", "UPDATE app.t2 SET v = 'diverged' WHERE id = 17");
        int portS = Ports.free();
        int portG1 = Ports.free();
        int portG2 = Ports.free();
        try (DaemonProcesses daemons = new DaemonProcesses(dir)) {
            Path s = config("s", "s.yaml", portS, "capture.replica.server.id.base: 5000");
            // Tables as the unit here; DaemonVerifyRangesIT divides one table in key ranges.
            Path g1 = config("g", "g1.yaml", portG1, "work.group: g, work.partitions: 2, work.ranges.per.table: 1,"
                    + " capture.replica.server.id.base: 6000");
            Path g2 = config("g", "g2.yaml", portG2, "work.group: g, work.partitions: 2, work.ranges.per.table: 1,"
                    + " capture.servers: []");
            daemons.start(s, "s");
            Process first = daemons.start(g1, "g1");
            Process second = daemons.start(g2, "g2");

            // Divided: each of the two verified tables, none both, all of them together, and one merges.
            await().atMost(Duration.ofSeconds(240)).ignoreExceptions().until(() -> {
                JsonNode v1 = verify(portG1);
                JsonNode v2 = verify(portG2);
                List<String> t1 = texts(v1.path("tablesVerified"));
                List<String> t2 = texts(v2.path("tablesVerified"));
                TreeSet<String> union = new TreeSet<>(t1);
                union.addAll(t2);
                return !t1.isEmpty() && !t2.isEmpty() && t1.size() + t2.size() == SCOPE.size()
                        && List.copyOf(union).equals(SCOPE)
                        && t1.equals(texts(v1.path("tablesOwned"))) && t2.equals(texts(v2.path("tablesOwned")));
            });
            JsonNode v1 = verify(portG1);
            JsonNode v2 = verify(portG2);
            assertThat(texts(v1.path("tablesInScope"))).isEqualTo(SCOPE);
            assertThat(v1.path("merge").path("merging").asBoolean() ^ v2.path("merge").path("merging").asBoolean())
                    .as("exactly one daemon merges the pair").isTrue();

            for (int port : new int[] {portS, portG1, portG2}) {
                await().atMost(Duration.ofSeconds(180)).ignoreExceptions()
                        .until(() -> get(port, "/gate?pair=0").statusCode() == 409);
            }
            assertThat(verify(portS).has("tablesOwned")).as("the lone daemon divides nothing").isFalse();
            assertThat(texts(verify(portS).path("tablesVerified"))).isEqualTo(SCOPE);
            PairReport alone = StoredVerdicts.latest(s);
            PairReport divided = StoredVerdicts.latest(g1);
            assertThat(alone.verdict()).isEqualTo(Verdict.FAIL);
            assertThat(divided.verdict()).isEqualTo(Verdict.FAIL);
            assertThat(divided.tables()).extracting(TableReport::table).isEqualTo(SCOPE);
            assertThat(StoredVerdicts.failingRows(divided)).isEqualTo(StoredVerdicts.failingRows(alone))
                    .containsOnlyKeys("app.t2");
            assertThat(StoredVerdicts.failingRows(divided).get("app.t2")).containsExactly("{id=17}");

            pair.a0().execute("SET sql_log_bin = 0", "UPDATE app.t2 SET v = 'v17' WHERE id = 17");
            for (int port : new int[] {portS, portG1, portG2}) {
                await().atMost(Duration.ofSeconds(180)).ignoreExceptions()
                        .until(() -> get(port, "/gate?pair=0").statusCode() == 200);
            }
            assertThat(StoredVerdicts.latest(g1).tables()).extracting(TableReport::verdict).containsOnly(Verdict.PASS);
            assertThat(StoredVerdicts.latest(g1).tables()).extracting(TableReport::table).isEqualTo(SCOPE);
            assertThat(StoredVerdicts.latest(s).verdict()).isEqualTo(Verdict.PASS);

            // The merging daemon stops: its tables and the merge move to the other, which verifies all six and
            // stores a PASS of its own making.
            boolean firstMerges = verify(portG1).path("merge").path("merging").asBoolean();
            Process leaving = firstMerges ? first : second;
            int survivor = firstMerges ? portG2 : portG1;
            String before = StoredVerdicts.latest(g1).finishedAt();
            leaving.destroy();
            assertThat(leaving.waitFor(60, TimeUnit.SECONDS)).isTrue();
            await().atMost(Duration.ofSeconds(240)).ignoreExceptions().until(() -> {
                JsonNode v = verify(survivor);
                return v.path("merge").path("merging").asBoolean() && texts(v.path("tablesOwned")).equals(SCOPE)
                        && texts(v.path("tablesVerified")).equals(SCOPE)
                        && get(survivor, "/gate?pair=0").statusCode() == 200
                        && Instant.parse(StoredVerdicts.latest(g1).finishedAt()).isAfter(Instant.parse(before));
            });
            assertThat(StoredVerdicts.latest(g1).tables()).extracting(TableReport::verdict).containsOnly(Verdict.PASS);
        }
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private JsonNode verify(int port) throws Exception {
        return new DaemonHttp(port).worker("verify");
    }

    private HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return new DaemonHttp(port).get(path);
    }
}
