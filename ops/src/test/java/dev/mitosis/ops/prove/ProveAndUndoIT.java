package dev.mitosis.ops.prove;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mitosis.capture.CaptureSettings;
import dev.mitosis.capture.CaptureWorker;
import dev.mitosis.connectors.capture.CaptureState;
import dev.mitosis.connectors.capture.CaptureStatus;
import dev.mitosis.connectors.capture.CaptureStatusStore;
import dev.mitosis.connectors.events.ChangeEvent;
import dev.mitosis.connectors.events.ChangeEventReader;
import dev.mitosis.connectors.kafka.KafkaClients;
import dev.mitosis.connectors.mariadb.ServerConnector;
import dev.mitosis.connectors.topology.MitosisConfig;
import dev.mitosis.connectors.topology.MitosisConfigLoader;
import dev.mitosis.connectors.topology.Server;
import dev.mitosis.ops.Main;
import dev.mitosis.purger.PurgeReport;
import dev.mitosis.purger.PurgeSettings;
import dev.mitosis.purger.PurgeTarget;
import dev.mitosis.purger.Purger;
import dev.mitosis.purger.archive.ChangeArchive;
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

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The purge's proof and undo on a real cut pair, a real broker and a running {@link CaptureWorker}, in runbook
 * order: purge new shard 0 (server A), prove it (exit 0); a row of the purged residue written behind the purger's
 * back disproves it (exit 1); undo restores exactly the purged rows, every column type intact, and skips a row
 * written since (same primary key) and one that collides on the unique uid; a purge-tagged delete of an owned row
 * disproves the purge; with capture stopped, the purge of shard 1 (server A0) cannot be proven (exit 3) and its undo
 * is refused (exit 1).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ProveAndUndoIT {

    private static final String PASSWORD = "prove-undo-it-pw";
    private static final int ROWS = 240;
    private static Path dir;
    private static KafkaBroker broker;
    private static DualMasterPair pair;
    private static Path configFile;
    private static MitosisConfig config;
    private static CaptureWorker capture;
    /** Row digests of A before the purge: primary key → MD5 of every column. */
    private static Map<String, String> beforePurge;
    private static long purgedOnA;
    private static final Map<String, Long> UID_BY_ID = new TreeMap<>();
    private static final java.util.Set<Integer> BINARY = java.util.Set.of(java.sql.Types.BINARY,
            java.sql.Types.VARBINARY, java.sql.Types.LONGVARBINARY, java.sql.Types.BLOB);

    @BeforeAll
    static void start() throws Exception {
        dir = ItEnvironment.dirFor(ProveAndUndoIT.class);
        broker = KafkaBroker.inDir(dir.resolve("kafka"), ItEnvironment.port(0), ItEnvironment.port(1), false).start();
        MariaDbServer.Builder[] builders = DualMasterPair.builders(dir, "p0", 0);
        builders[0].port(ItEnvironment.port(2)).adminPassword(PASSWORD);
        builders[1].port(ItEnvironment.port(3)).adminPassword(PASSWORD);
        pair = DualMasterPair.start(builders[0], builders[1]);
        pair.a().execute("CREATE DATABASE app", """
                CREATE TABLE app.accounts (
                  id BIGINT UNSIGNED NOT NULL PRIMARY KEY,
                  uid BIGINT NOT NULL,
                  email VARCHAR(191) NULL,
                  bio TEXT NULL,
                  balance DECIMAL(20,6) NULL,
                  score DOUBLE NULL,
                  ratio FLOAT NULL,
                  status ENUM('active','suspended','closed') NOT NULL DEFAULT 'active',
                  flags SET('a','b','c') NULL,
                  verified BOOLEAN NOT NULL DEFAULT FALSE,
                  country CHAR(2) CHARACTER SET ascii NULL,
                  birth_date DATE NULL,
                  created_at DATETIME(6) NOT NULL,
                  seen_at DATETIME NULL,
                  updated_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
                  wake TIME(6) NULL,
                  born YEAR NULL,
                  small TINYINT UNSIGNED NULL,
                  counter INT UNSIGNED NULL,
                  big_u BIGINT UNSIGNED NULL,
                  bits BIT(10) NULL,
                  token VARBINARY(32) NULL,
                  avatar BLOB NULL,
                  prefs JSON NULL,
                  UNIQUE KEY uk_uid (uid)
                ) ENGINE=InnoDB""");
        Files.writeString(dir.resolve("password"), PASSWORD + "\n");
        configFile = dir.resolve("mitosis.yaml");
        Files.writeString(configFile, String.join("\n", "split:", "  old.shards: 1", "  new.shards: 2",
                "schemas: [app]", "credentials:", "  user: " + MariaDbServer.ADMIN_USER, "  password.file: password",
                "kafka:", "  bootstrap.servers: " + broker.bootstrapServers(), "  topic.prefix: itpu", "pairs:",
                "  - pair: 0", "    servers:",
                "      - name: p0-a", "        host: 127.0.0.1", "        port: " + pair.a().port(),
                "      - name: p0-a0", "        host: 127.0.0.1", "        port: " + pair.a0().port(), ""));
        config = new MitosisConfigLoader(Map.<String, String>of()::get).load(configFile);
        capture = CaptureWorker.forAllServers(config, CaptureSettings.defaults(), "rebaseline {server}",
                new MetricRegistry(), Clock.systemUTC()).start();
        CaptureStatusStore statuses = new CaptureStatusStore(new KafkaClients(config.kafka()), Duration.ofSeconds(10));
        await().atMost(Duration.ofSeconds(90)).until(() -> statuses.latest().values().stream()
                .filter(s -> s.state() == CaptureState.RUNNING).count() == 2);
        insertRows();
        assertThat(pair.awaitInSync(Duration.ofSeconds(30))).isTrue();
        pair.cut();
    }

    /** Rows of every type, with edge values: unsigned extremes, dates before 1970, negative TIME, binary zeros. */
    private static void insertRows() {
        pair.a().execute("SET time_zone = '+00:00'", "INSERT INTO app.accounts SELECT"
                + " IF(seq % 3 = 0, 18446744073709551615 - seq, seq + 1),"
                + " seq,"
                + " IF(seq % 10 = 0, NULL, CONCAT('user', seq, '@example.org')),"
                + " IF(seq % 7 = 0, '', CONCAT('Zoë 渡辺 ', seq, ' ')),"
                + " IF(seq % 10 = 0, NULL, seq * 1234567.891011 - 99999999.5),"
                + " seq * 3.14159265358979 - 100,"
                + " seq / 7,"
                + " ELT(1 + seq % 3, 'active', 'suspended', 'closed'),"
                + " ELT(1 + seq % 4, 'a', 'a,b', '', 'b,c'),"
                + " seq % 2,"
                + " ELT(1 + seq % 3, 'DE', 'JP', 'BR'),"
                + " DATE '1950-01-01' + INTERVAL seq % 1000 * 97 DAY,"
                + " TIMESTAMP '1965-03-04 05:06:07.123456' + INTERVAL seq % 1000 * 1000003 SECOND,"
                + " IF(seq % 4 = 0, NULL, TIMESTAMP '2000-01-01 00:00:00' + INTERVAL seq DAY),"
                + " TIMESTAMP '2021-06-01 10:00:00.123' + INTERVAL seq * 3607 SECOND,"
                + " CAST(SEC_TO_TIME(seq % 240 * 4001 - 300000 + 0.123456) AS TIME(6)),"
                + " 1901 + seq % 255,"
                + " IF(seq = 5, 255, seq % 256),"
                + " 4294967295 - seq,"
                + " 18446744073709551615 - seq * 1000,"
                + " seq % 1024,"
                + " UNHEX(MD5(seq)),"
                + " IF(seq % 5 = 0, NULL, REPEAT(UNHEX(SHA1(seq)), 1 + seq % 50)),"
                + " JSON_OBJECT('lang', 'de', 'n', seq)"
                + " FROM (SELECT CAST(seq AS SIGNED) AS seq FROM app.seq_0_to_" + (ROWS - 1) + ") s");
    }

    @AfterAll
    static void stop() {
        try {
            if (capture != null) {
                capture.close();
            }
        } finally {
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
    }

    @Test
    @Order(1)
    void aCorrectPurgeIsProven() throws Exception {
        beforePurge = rowDigests(pair.a());
        PurgeReport report = purge(0);
        assertThat(report.outcome()).isEqualTo(PurgeReport.Outcome.DONE);
        purgedOnA = report.rowsDeleted();
        assertThat(purgedOnA).isEqualTo(ROWS / 2);

        Cli prove = cli("prove", "--config", configFile.toString(), "--shard", "0", "--capture-wait-s", "120");

        assertThat(prove.exitCode).as(prove.err).isZero();
        JsonNode json = prove.json();
        assertThat(json.path("verdict").asText()).isEqualTo("PROVEN");
        assertThat(json.path("captureCovers").asBoolean()).isTrue();
        JsonNode table = json.path("tables").get(0);
        assertThat(table.path("table").asText()).isEqualTo("app.accounts");
        assertThat(table.path("remaining").asLong()).isZero();
        assertThat(table.path("counts").path("owned").asLong()).isEqualTo(ROWS / 2);
        // The statement comment reached the stream: every purge delete is there, tagged, exactly once.
        assertThat(table.path("taggedDeletes").asLong()).isEqualTo(purgedOnA);
        assertThat(table.path("reportedDeleted").asLong()).isEqualTo(purgedOnA);
        assertThat(table.path("violations").asLong()).isZero();
        assertThat(prove.err).contains("app.accounts: PROVEN");

        // Capture is at-least-once: a restart replays a tail of the topic. The proof counts each delete once.
        replayTail("p0-a", 40);
        Cli again = cli("prove", "--config", configFile.toString(), "--shard", "0", "--capture-wait-s", "120");
        assertThat(again.exitCode).as(again.err).isZero();
        assertThat(again.json().path("tables").get(0).path("taggedDeletes").asLong()).isEqualTo(purgedOnA);
    }

    /** Copies the last {@code records} records of a server's accounts topic to its end, as a capture replay does. */
    private static void replayTail(String server, int records) {
        KafkaClients kafka = new KafkaClients(config.kafka());
        String topic = kafka.topics().changes(server, "app", "accounts");
        org.apache.kafka.common.TopicPartition tp = new org.apache.kafka.common.TopicPartition(topic, 0);
        List<org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]>> tail = new ArrayList<>();
        try (var consumer = kafka.newConsumer("it-replay-" + System.nanoTime(), "it-replay");
             var producer = kafka.newProducer("it-replay")) {
            consumer.assign(List.of(tp));
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            consumer.seek(tp, Math.max(0, end - records));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (consumer.position(tp) < end && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(tail::add);
            }
            for (var record : tail) {
                producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(topic, 0, record.key(),
                        record.value(), record.headers()));
            }
            producer.flush();
        }
        assertThat(tail).hasSizeGreaterThanOrEqualTo(records);
    }

    @Test
    @Order(2)
    void aRowOfThePurgedResidueInsertedBehindThePurgersBackDisprovesIt() {
        pair.a().execute("SET sql_log_bin = 0",
                "INSERT INTO app.accounts (id, uid, created_at) VALUES (900001, 100001, NOW(6))");
        try {
            Cli prove = cli("prove", "--config", configFile.toString(), "--shard", "0", "--capture-wait-s", "120");

            assertThat(prove.exitCode).as(prove.err).isEqualTo(1);
            JsonNode table = prove.json().path("tables").get(0);
            assertThat(prove.json().path("verdict").asText()).isEqualTo("DISPROVEN");
            assertThat(table.path("remaining").asLong()).isEqualTo(1);
            assertThat(table.path("reasons").toString()).contains("1 row(s) of the purged residue 1 remain");
        } finally {
            pair.a().execute("SET sql_log_bin = 0", "DELETE FROM app.accounts WHERE id = 900001");
        }
    }

    @Test
    @Order(3)
    void undoRestoresExactlyThePurgedRowsAndNeverOverwritesARowWrittenSince() throws Exception {
        List<String> purgedIds = new ArrayList<>(beforePurge.keySet());
        purgedIds.removeAll(rowDigests(pair.a()).keySet());
        assertThat(purgedIds).hasSize((int) purgedOnA);
        String rewritten = purgedIds.get(0);
        String collides = purgedIds.get(1);
        long collidingUid = UID_BY_ID.get(collides);
        // The application writes since the purge: the same primary key again, and another key with a purged uid.
        pair.a().execute("INSERT INTO app.accounts (id, uid, email, created_at) VALUES (" + rewritten
                        + ", 100003, 'rewritten@example.org', '2030-01-01 00:00:00')",
                "INSERT INTO app.accounts (id, uid, email, created_at) VALUES (900003, " + collidingUid
                        + ", 'collides@example.org', '2030-01-01 00:00:00')");

        Cli undo = cli("purge", "undo", "--config", configFile.toString(), "--shard", "0", "--table", "app.accounts",
                "--chunk-rows", "37", "--capture-wait-s", "120");

        assertThat(undo.exitCode).as(undo.err).isZero();
        JsonNode json = undo.json();
        assertThat(json.path("outcome").asText()).isEqualTo("DONE");
        assertThat(json.path("taggedDeletes").asLong()).isEqualTo(purgedOnA);
        assertThat(json.path("restored").asLong()).isEqualTo(purgedOnA - 2);
        assertThat(json.path("skippedExisting").asLong()).isEqualTo(1);
        assertThat(json.path("conflicts").asLong()).isEqualTo(1);
        assertThat(json.path("conflictSamples").get(0).asText()).contains("uk_uid");
        assertThat(undo.err).contains("purge deletes read");

        Map<String, String> after = rowDigests(pair.a());
        Map<String, String> expected = new TreeMap<>(beforePurge);
        expected.remove(rewritten);
        expected.remove(collides);
        Map<String, String> restored = new TreeMap<>(after);
        restored.remove(rewritten);
        restored.remove("900003");
        assertThat(restored).isEqualTo(expected);
        assertThat(pair.a().queryString("SELECT email FROM app.accounts WHERE id = " + rewritten))
                .isEqualTo("rewritten@example.org");
        // The re-inserts went to the binlog, tagged: capture archived them (and the HA partner replicates them).
        assertThat(undoTaggedInserts()).isEqualTo(purgedOnA - 2);
    }

    @Test
    @Order(4)
    void aPurgeTaggedDeleteOfAnOwnedRowDisprovesThePurge() {
        pair.a().execute("DELETE /* mitosis-purge shard=0 table=app.accounts */ FROM app.accounts WHERE uid = 2");

        Cli prove = cli("prove", "--config", configFile.toString(), "--shard", "0", "--capture-wait-s", "120");

        assertThat(prove.exitCode).as(prove.err).isEqualTo(1);
        JsonNode table = prove.json().path("tables").get(0);
        assertThat(table.path("violations").asLong()).isEqualTo(1);
        assertThat(table.path("violationSamples").get(0).path("kind").asText()).isEqualTo("OWNED_ROW_TOUCHED");
        assertThat(table.path("violationSamples").get(0).path("shardKey").asText()).isEqualTo("2");
    }

    @Test
    @Order(5)
    void withCaptureStoppedBeforeThePurgeTheProofCannotTellAndTheUndoIsRefused() throws Exception {
        capture.close();
        CaptureStatusStore statuses = new CaptureStatusStore(new KafkaClients(config.kafka()), Duration.ofSeconds(10));
        await().atMost(Duration.ofSeconds(30)).until(() -> statuses.latest("p0-a0").map(CaptureStatus::state)
                .orElse(CaptureState.RUNNING) == CaptureState.STOPPED);
        PurgeReport report = purge(1);
        assertThat(report.outcome()).isEqualTo(PurgeReport.Outcome.DONE);
        assertThat(report.rowsDeleted()).isEqualTo(ROWS / 2);

        Cli prove = cli("prove", "--config", configFile.toString(), "--shard", "1", "--capture-wait-s", "2");

        assertThat(prove.exitCode).as(prove.err).isEqualTo(3);
        JsonNode json = prove.json();
        assertThat(json.path("verdict").asText()).isEqualTo("CANNOT_TELL");
        assertThat(json.path("captureCovers").asBoolean()).isFalse();
        assertThat(json.path("captureGap").asText()).contains("capture of p0-a0 processed only");
        assertThat(json.path("tables").get(0).path("remaining").asLong()).isZero();

        String count = pair.a0().queryString("SELECT COUNT(*) FROM app.accounts");
        Cli undo = cli("purge", "undo", "--config", configFile.toString(), "--shard", "1", "--table", "app.accounts",
                "--capture-wait-s", "2");

        assertThat(undo.exitCode).as(undo.err).isEqualTo(1);
        assertThat(undo.json().path("outcome").asText()).isEqualTo("REFUSED");
        assertThat(undo.json().path("reason").asText()).contains("--allow-incomplete");
        assertThat(pair.a0().queryString("SELECT COUNT(*) FROM app.accounts")).isEqualTo(count);
    }


    private static PurgeReport purge(int newShard) {
        Server server = config.topology().serverOfNewShard(newShard);
        // The purge itself, past its interlocks (the command's own refuse until capture's are wired): what is
        // tested here is what the proof and the undo make of it.
        return Purger.builder(new PurgeTarget(config.topology().shardMap(), newShard, server.name(),
                        new ServerConnector(server)::open))
                .settings(PurgeSettings.defaults().withChunks(50, 23, 40))
                .tables(config.schemas(), config::tableRule)
                .build().run();
    }

    private static long undoTaggedInserts() throws Exception {
        ChangeArchive archive = new ChangeArchive(new KafkaClients(config.kafka()), ChangeEventReader.forConfig(config),
                Duration.ofSeconds(30));
        long[] inserts = {0};
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            inserts[0] = 0;
            archive.read(archive.topic("p0-a", "app", "accounts"), (ChangeEvent e) -> {
                if (e.statement().orElse("").contains("mitosis-undo shard=0 table=app.accounts")
                        && e.op() == dev.mitosis.connectors.events.Op.CREATE && !e.replicated()) {
                    inserts[0]++;
                }
            });
            return inserts[0] >= purgedOnA - 2;
        });
        return inserts[0];
    }

    /** Every row as primary key → each column as text (binary ones in hex), read in UTC. */
    private static Map<String, String> rowDigests(MariaDbServer server) throws Exception {
        Map<String, String> rows = new TreeMap<>();
        try (Connection c = server.connect("app"); Statement s = c.createStatement()) {
            s.execute("SET time_zone = '+00:00'");
            try (ResultSet rs = s.executeQuery("SELECT * FROM app.accounts ORDER BY id")) {
                ResultSetMetaData meta = rs.getMetaData();
                while (rs.next()) {
                    StringBuilder row = new StringBuilder();
                    for (int i = 1; i <= meta.getColumnCount(); i++) {
                        Object value = BINARY.contains(meta.getColumnType(i)) ? rs.getBytes(i) : rs.getString(i);
                        row.append(meta.getColumnName(i)).append('=').append(value == null ? "NULL"
                                : value instanceof byte[] b ? HexFormat.of().formatHex(b) : value).append(';');
                    }
                    rows.put(rs.getString("id"), row.toString());
                    UID_BY_ID.putIfAbsent(rs.getString("id"), rs.getLong("uid"));
                }
            }
        }
        return rows;
    }

    private static Cli cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        System.err.print(err);
        return new Cli(code, out.toString(), err.toString());
    }

    private record Cli(int exitCode, String out, String err) {
        JsonNode json() {
            String line = out.strip();
            assertThat(line).as("one JSON line on stdout; stderr: " + err).isNotEmpty().doesNotContain("\n");
            try {
                return new ObjectMapper().readTree(line);
            } catch (Exception e) {
                throw new AssertionError("stdout is not JSON: " + line, e);
            }
        }
    }
}
