package dev.mitosis.ops.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mitosis.connectors.kafka.KafkaClients;
import dev.mitosis.connectors.topology.MitosisConfig;
import dev.mitosis.connectors.topology.MitosisConfigLoader;
import dev.mitosis.connectors.work.KeySplit;
import dev.mitosis.connectors.work.KeySplitStore;
import dev.mitosis.connectors.work.WorkUnits;
import dev.mitosis.ops.Main;
import dev.mitosis.ops.OnePairFleet;
import dev.mitosis.testkit.DualMasterPair;
import dev.mitosis.testkit.ItEnvironment;
import dev.mitosis.testkit.KafkaBroker;
import dev.mitosis.testkit.MariaDbServer;
import dev.mitosis.testkit.Ports;
import dev.mitosis.verifier.PairReport;
import dev.mitosis.verifier.ReportJson;
import dev.mitosis.verifier.TableRange;
import dev.mitosis.verifier.TableReport;
import dev.mitosis.verifier.Verdict;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Verification divided in key ranges: two daemons of one work group with {@code work.ranges.per.table: 4} verify a
 * pair whose big table is cut into four ranges, and each daemon verifies two of them (units alternate between the two
 * work partitions), so both work on the same table. Their merged verdict equals a single process's
 * ({@code mitosis verify --once}): PASS with the same row count on the identical pair, and after two rows changed on
 * A0 outside the binlog, in ranges verified by different daemons, FAIL naming the same rows.
 */
class DaemonVerifyRangesIT {

    private static final String PASSWORD = "verify-ranges-it-pw";
    private static final String TOKEN = "verify-ranges-token-0123456789ab";
    private static final int RANGES = 4;
    private static final int BIG_ROWS = 20_000;

    private static Path dir;
    private static KafkaBroker broker;
    private static DualMasterPair pair;

    @BeforeAll
    static void start() throws Exception {
        dir = ItEnvironment.dirFor(DaemonVerifyRangesIT.class);
        broker = KafkaBroker.inDir(dir.resolve("kafka"), ItEnvironment.port(0), ItEnvironment.port(1), false).start();
        MariaDbServer.Builder[] b = DualMasterPair.builders(dir.resolve("p"), "p", 0);
        b[0].port(ItEnvironment.port(2)).adminPassword(PASSWORD);
        b[1].port(ItEnvironment.port(3)).adminPassword(PASSWORD);
        pair = DualMasterPair.start(b[0], b[1]);
        pair.a().execute("CREATE DATABASE app",
                "CREATE TABLE app.big (id BIGINT PRIMARY KEY, uid BIGINT, v VARCHAR(20))",
                "INSERT INTO app.big SELECT seq, seq * 7, CONCAT('v', seq) FROM app.seq_1_to_" + BIG_ROWS,
                "CREATE TABLE app.small (k VARCHAR(10) PRIMARY KEY, v INT)",
                "INSERT INTO app.small SELECT CONCAT('k', seq), seq FROM app.seq_1_to_50");
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

    private static Path config(String file, int httpPort, String daemon) throws IOException {
        return Files.writeString(dir.resolve(file), String.join("\n",
                OnePairFleet.yaml(pair, broker.bootstrapServers(), "r", "p"),
                "daemon: {" + daemon + ", work.group: r, work.partitions: 2, work.ranges.per.table: " + RANGES
                        + ", verify.interval.ms: 15000, state.dir: state-" + file + "}",
                "http: {port: " + httpPort + ", token.file: token}",
                ""));
    }

    @Test
    void twoDaemonsSharingOneTableReachTheVerdictsOfOneProcess() throws Exception {
        String bigUnit = WorkUnits.verifyUnit(0, "app.big");
        TreeSet<Integer> partitions = new TreeSet<>();
        for (int i = 0; i < RANGES; i++) {
            partitions.add(WorkUnits.partitionOf(WorkUnits.rangeUnit(bigUnit, i, RANGES), 2));
        }
        assertThat(partitions).as("app.big's ranges land on both work partitions").containsExactly(0, 1);
        int port1 = Ports.free();
        int port2 = Ports.free();
        try (DaemonProcesses daemons = new DaemonProcesses(dir)) {
            Path g1 = config("g1.yaml", port1, "capture.replica.server.id.base: 6000");
            Path g2 = config("g2.yaml", port2, "capture.servers: []");
            daemons.start(g1, "g1");
            daemons.start(g2, "g2");

            // Each verifies ranges of app.big, none the same, together all four; one merges.
            await().atMost(Duration.ofSeconds(240)).ignoreExceptions().until(() -> {
                List<String> t1 = bigRanges(verify(port1).path("tablesVerified"));
                List<String> t2 = bigRanges(verify(port2).path("tablesVerified"));
                TreeSet<String> union = new TreeSet<>(t1);
                union.addAll(t2);
                return !t1.isEmpty() && !t2.isEmpty() && t1.size() + t2.size() == RANGES && union.size() == RANGES;
            });
            assertThat(verify(port1).path("merge").path("merging").asBoolean()
                    ^ verify(port2).path("merge").path("merging").asBoolean()).as("one daemon merges").isTrue();
            await().atMost(Duration.ofSeconds(180)).ignoreExceptions()
                    .until(() -> get(port1, "/gate?pair=0") == 200 && get(port2, "/gate?pair=0") == 200);

            PairReport alone = verifyOnce(g1, "pass");
            PairReport divided = StoredVerdicts.latest(g1);
            assertThat(alone.verdict()).isEqualTo(Verdict.PASS);
            assertThat(divided.verdict()).isEqualTo(Verdict.PASS);
            assertThat(divided.tables()).extracting(TableReport::table).containsExactly("app.big", "app.small");
            assertThat(table(divided, "app.big").coverage().rowsA()).isEqualTo(BIG_ROWS)
                    .isEqualTo(table(alone, "app.big").coverage().rowsA());
            assertThat(divided.totals().rowsA()).isEqualTo(alone.totals().rowsA());
            assertThat(divided.totals().rowsA0()).isEqualTo(alone.totals().rowsA0());

            // One row in a range of each daemon, changed outside the binlog: only a full pass finds them.
            KeySplit cut = cut(g1);
            List<String> own1 = bigRanges(verify(port1).path("tablesOwned"));
            List<String> own2 = bigRanges(verify(port2).path("tablesOwned"));
            long row1 = firstKeyOf(cut, index(own1.get(0)));
            long row2 = firstKeyOf(cut, index(own2.get(0)));
            pair.a0().execute("SET sql_log_bin = 0",
                    "UPDATE app.big SET v = 'diverged' WHERE id = " + row1,
                    "UPDATE app.big SET v = 'diverged' WHERE id = " + row2);
            PairReport aloneFail = verifyOnce(g1, "fail");
            assertThat(aloneFail.verdict()).isEqualTo(Verdict.FAIL);
            assertThat(StoredVerdicts.failingRows(aloneFail)).containsExactly(
                    Map.entry("app.big", Stream.of("{id=" + row1 + "}", "{id=" + row2 + "}").sorted().toList()));
            await().atMost(Duration.ofSeconds(180)).ignoreExceptions()
                    .until(() -> StoredVerdicts.failingRows(StoredVerdicts.latest(g1))
                            .equals(StoredVerdicts.failingRows(aloneFail)));
            PairReport dividedFail = StoredVerdicts.latest(g1);
            assertThat(dividedFail.verdict()).isEqualTo(Verdict.FAIL);
            assertThat(dividedFail.totals().differences()).isEqualTo(aloneFail.totals().differences());
            assertThat(get(port1, "/gate?pair=0")).isEqualTo(409);
        }
    }

    /** {@code mitosis verify --once} in this JVM: one process verifying the whole pair. */
    private static PairReport verifyOnce(Path config, String name) throws IOException {
        Path reports = dir.resolve("once-" + name);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), "verify", "--config",
                config.toString(), "--pair", "0", "--once", "--store", "files", "--report-dir", reports.toString());
        assertThat(code).as(err.toString()).isIn(0, 1);
        return ReportJson.read(Files.readString(reports.resolve("report.json")));
    }

    /** The first key of range {@code index} of the cut (the keys are 1..BIG_ROWS). */
    private static long firstKeyOf(KeySplit cut, int index) {
        return cut.span(index).orElseThrow().lowerExclusive().map(k -> Long.parseLong(k.get(0)) + 1).orElse(1L);
    }

    private static int index(String rangeName) {
        return Integer.parseInt(rangeName.substring(rangeName.indexOf('#') + 1, rangeName.indexOf('/',
                rangeName.indexOf('#'))));
    }

    private static KeySplit cut(Path config) {
        MitosisConfig loaded = MitosisConfigLoader.withSystemEnvironment().load(config);
        return new KeySplitStore(new KafkaClients(loaded.kafka()), Duration.ofSeconds(30))
                .read(WorkUnits.verifyUnit(0, "app.big")).orElseThrow();
    }

    private static TableReport table(PairReport report, String table) {
        return report.tables().stream().filter(t -> t.table().equals(table)).findFirst().orElseThrow();
    }

    private static List<String> bigRanges(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> {
            if (TableRange.tableOf(n.asText()).equals("app.big")) {
                out.add(n.asText());
            }
        });
        return out;
    }

    private JsonNode verify(int port) throws Exception {
        return new DaemonHttp(port).worker("verify");
    }

    private int get(int port, String path) throws IOException, InterruptedException {
        return new DaemonHttp(port).get(path).statusCode();
    }
}
