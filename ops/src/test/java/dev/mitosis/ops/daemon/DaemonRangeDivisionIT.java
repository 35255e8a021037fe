package dev.mitosis.ops.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mitosis.connectors.kafka.CompactedTopic;
import dev.mitosis.connectors.kafka.KafkaClients;
import dev.mitosis.connectors.topology.MitosisConfig;
import dev.mitosis.connectors.topology.MitosisConfigLoader;
import dev.mitosis.connectors.work.KeySplit;
import dev.mitosis.connectors.work.WorkUnits;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One big table purged by two daemons of one work group at once, in key ranges ({@code work.ranges.per.table: 4}):
 * the table is named so that its four range units fall in partitions of both daemons. The second daemon stops
 * half-way, so its ranges move to the first and resume from their own checkpoints. What is left on the purged
 * server is exactly the rows its new shard owns (the same rows and checksum as before the purge), the split was
 * stored once, every range and the table are checkpointed done, and both daemons deleted rows of that one table.
 * A tiny table with fewer keys than ranges has empty ranges, done at once.
 */
class DaemonRangeDivisionIT {

    private static final String PASSWORD = "range-division-it-pw";
    private static final String TOKEN = "range-division-token-0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PARTITIONS = 12;
    private static final int RANGES = 4;
    private static final int ROWS = 3000;

    private static Path dir;
    private static KafkaBroker broker;
    private static DualMasterPair y;
    private static String big;

    @BeforeAll
    static void start() throws Exception {
        dir = ItEnvironment.dirFor(DaemonRangeDivisionIT.class);
        big = "app." + tableSplitAcrossBothHalves();
        broker = KafkaBroker.inDir(dir.resolve("kafka"), ItEnvironment.port(0), ItEnvironment.port(1), false).start();
        MariaDbServer.Builder[] b = DualMasterPair.builders(dir.resolve("y"), "y", 0);
        b[0].port(ItEnvironment.port(2)).adminPassword(PASSWORD);
        b[1].port(ItEnvironment.port(3)).adminPassword(PASSWORD);
        y = DualMasterPair.start(b[0], b[1]);
        y.a().execute("CREATE DATABASE app",
                "CREATE TABLE " + big + " (id BIGINT PRIMARY KEY, uid BIGINT, v VARCHAR(20))",
                // ids with gaps, uids not in id order: ranges of ids, residues mixed in each
                "INSERT INTO " + big + " SELECT seq * 3, (seq * 7919) % 100003, CONCAT('v', seq) FROM app.seq_1_to_" + ROWS,
                "CREATE TABLE app.tiny (id BIGINT PRIMARY KEY, uid BIGINT)",
                "INSERT INTO app.tiny VALUES (1, 10), (2, 11)");
        assertThat(y.awaitInSync(Duration.ofSeconds(60))).isTrue();
        Files.writeString(dir.resolve("password"), PASSWORD + "\n");
        Files.writeString(dir.resolve("token"), TOKEN + "\n");
    }

    /**
     * A table name whose range units are in partitions 0-5 and 6-11 both: the two halves two members of a group get
     * from the range assignor, whichever member sorts first.
     */
    private static String tableSplitAcrossBothHalves() {
        for (int i = 0; ; i++) {
            String table = "big" + i;
            String unit = WorkUnits.purgeUnit(1, "app." + table);
            Set<Boolean> halves = new HashSet<>();
            IntStream.range(0, RANGES).forEach(r ->
                    halves.add(WorkUnits.partitionOf(WorkUnits.rangeUnit(unit, r, RANGES), PARTITIONS) < PARTITIONS / 2));
            if (halves.size() == 2) {
                return table;
            }
        }
    }

    @AfterAll
    static void stop() {
        try {
            if (y != null) {
                y.close();
            }
        } finally {
            if (broker != null) {
                broker.stop();
            }
        }
    }

    private static Path config(String file, int httpPort, String daemon) throws IOException {
        return Files.writeString(dir.resolve(file), String.join("\n",
                OnePairFleet.yaml(y, broker.bootstrapServers(), "y", "y"),
                "purge: {quiet.window.ms: 5000, retry.interval.ms: 1000, max.rows.per.second: 150,"
                        + " chunk.initial.rows: 20, chunk.max.rows: 20}",
                "daemon: {work.group: g, work.partitions: " + PARTITIONS + ", work.ranges.per.table: " + RANGES + ", "
                        + daemon + "state.dir: state-" + file + "}",
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
    void twoDaemonsPurgeRangesOfOneTableAndLeaveExactlyTheOwnedRows() throws Exception {
        String rows = "SELECT CONCAT(COUNT(*), ':', COALESCE(SUM(CRC32(CONCAT(id, '/', uid, '/', v))), 0)) FROM " + big;
        String owned = y.a0().queryString(rows + " WHERE MOD(uid, 2) = 1");
        String onA = y.a().queryString(rows);
        long residue = Long.parseLong(y.a0().queryString("SELECT COUNT(*) FROM " + big + " WHERE MOD(uid, 2) = 0"));
        assertThat(residue).isGreaterThan(ROWS / 3);
        int port1 = Ports.free();
        int port2 = Ports.free();
        try (DaemonProcesses daemons = new DaemonProcesses(dir)) {
            Path c1 = config("y1.yaml", port1, "");
            Path c2 = config("y2.yaml", port2, "capture.servers: [], verify.pairs: [], ");
            daemons.start(c1, "y1");
            await().atMost(Duration.ofSeconds(180)).ignoreExceptions()
                    .until(() -> new DaemonHttp(port1).get("/gate?pair=0").statusCode() == 200);
            cli("flip", "--config", c1.toString(), "--to", "2");
            y.cut();
            Process second = daemons.start(c2, "y2");
            await().atMost(Duration.ofSeconds(120)).ignoreExceptions().until(() ->
                    owned(port1) > 0 && owned(port2) > 0 && owned(port1) + owned(port2) == PARTITIONS);

            for (int port : new int[] {port1, port2}) {
                assertThat(new DaemonHttp(port).control("action=purge&shard=1", TOKEN).statusCode()).isEqualTo(202);
            }
            // The second daemon stops once it deleted rows of the big table: its ranges resume on the first.
            await().atMost(Duration.ofSeconds(240)).ignoreExceptions()
                    .until(() -> rowsDeletedHere(purge(port2), big) > 0);
            second.destroy();
            assertThat(second.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(second.exitValue()).isEqualTo(143);

            await().atMost(Duration.ofSeconds(300)).ignoreExceptions()
                    .until(() -> purge(port1).path("state").asText().equals("DONE"));

            JsonNode first = purge(port1);
            JsonNode secondsLast = JSON.readTree(Files.readString(dir.resolve("y2.out")).strip())
                    .path("status").path("workers").get(0);
            assertThat(rowsDeletedHere(secondsLast, big)).as("the second daemon purged ranges of " + big).isPositive();
            assertThat(rowsDeletedHere(first, big)).as("the first daemon purged ranges of " + big).isPositive();
            assertThat(first.path("rangesPerTable").asInt()).isEqualTo(RANGES);
            assertThat(first.path("unitsPending")).isEmpty();
            assertThat(first.path("units").size()).isEqualTo(2 * RANGES);

            // Exactly the rows the new shard owns are left: the same rows, the same checksum.
            assertThat(y.a0().queryString(rows)).isEqualTo(owned);
            assertThat(y.a0().queryString("SELECT COUNT(*) FROM " + big + " WHERE MOD(uid, 2) = 0")).isEqualTo("0");
            assertThat(y.a().queryString(rows)).as("A is not purged").isEqualTo(onA);
            assertThat(y.a0().queryString("SELECT GROUP_CONCAT(id) FROM app.tiny")).isEqualTo("2");

            String table = big.substring("app.".length());
            assertThat(y.a0().queryString("SELECT CONCAT(COUNT(*), ':', SUM(done), ':', SUM(rows_deleted))"
                    + " FROM _mitosis.purge_range_checkpoint WHERE new_shard = 1 AND table_name = '" + table + "'"))
                    .isEqualTo(RANGES + ":" + RANGES + ":" + residue);
            assertThat(y.a0().queryString("SELECT CONCAT(done, ':', rows_deleted) FROM _mitosis.purge_checkpoint"
                    + " WHERE new_shard = 1 AND table_name = '" + table + "'")).isEqualTo("1:" + residue);
            assertThat(y.a0().queryString("SELECT CONCAT(COUNT(*), ':', SUM(done)) FROM _mitosis.purge_range_checkpoint"
                    + " WHERE new_shard = 1 AND table_name = 'tiny'")).isEqualTo(RANGES + ":" + RANGES);

            MitosisConfig loaded = new MitosisConfigLoader(Map.<String, String>of()::get).load(c1);
            KafkaClients kafka = new KafkaClients(loaded.kafka());
            List<CompactedTopic.Entry> splits = new CompactedTopic(kafka, kafka.topics().workSplits(),
                    Duration.ofSeconds(30)).readAll().stream()
                    .filter(e -> e.keyText().equals(WorkUnits.purgeUnit(1, big))).toList();
            assertThat(splits).as("the split of " + big + " is stored once").hasSize(1);
            KeySplit split = KeySplit.fromJson(splits.get(0).value());
            assertThat(split.parts()).isEqualTo(RANGES);
            assertThat(split.boundaries()).hasSize(RANGES - 1);
        }
    }

    /** Rows a purge's /status says this daemon deleted in the ranges of {@code table}. */
    private static long rowsDeletedHere(JsonNode purge, String table) {
        long sum = 0;
        for (var it = purge.path("units").fields(); it.hasNext(); ) {
            var unit = it.next();
            if (unit.getKey().startsWith(WorkUnits.purgeUnit(1, table) + "#")) {
                sum += unit.getValue().path("rowsDeletedHere").asLong();
            }
        }
        return sum;
    }

    private int owned(int port) throws Exception {
        return new DaemonHttp(port).status().path("work").path("owned").size();
    }

    private JsonNode purge(int port) throws Exception {
        return new DaemonHttp(port).worker("purge");
    }
}
