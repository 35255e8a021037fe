package dev.mitosis.ops.capture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mitosis.connectors.events.ChangeEvent;
import dev.mitosis.connectors.events.ChangeEventReader;
import dev.mitosis.connectors.kafka.KafkaClients;
import dev.mitosis.connectors.topology.MitosisConfig;
import dev.mitosis.connectors.topology.MitosisConfigLoader;
import dev.mitosis.ops.ChildJvm;
import dev.mitosis.testkit.DualMasterPair;
import dev.mitosis.testkit.ItEnvironment;
import dev.mitosis.testkit.KafkaBroker;
import dev.mitosis.testkit.MariaDbServer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code mitosis capture} in its own JVM on a real pair and broker: changes reach Kafka, and SIGTERM drains and
 * stops it within 10 s with exit 143 and one JSON summary on stdout.
 */
class CaptureCommandIT {

    private static final String PASSWORD = "capture-cli-it-pw";
    private static Path dir;
    private static KafkaBroker broker;
    private static DualMasterPair pair;
    private static Path configFile;
    private static MitosisConfig config;

    @BeforeAll
    static void start() throws Exception {
        dir = ItEnvironment.dirFor(CaptureCommandIT.class);
        broker = KafkaBroker.inDir(dir.resolve("kafka"), ItEnvironment.port(0), ItEnvironment.port(1), false).start();
        MariaDbServer.Builder[] builders = DualMasterPair.builders(dir, "p0", 0);
        builders[0].port(ItEnvironment.port(2)).adminPassword(PASSWORD);
        builders[1].port(ItEnvironment.port(3)).adminPassword(PASSWORD);
        pair = DualMasterPair.start(builders[0], builders[1]);
        pair.a().execute("CREATE DATABASE app", "CREATE TABLE app.users (id BIGINT PRIMARY KEY, uid BIGINT)");
        Files.writeString(dir.resolve("password"), PASSWORD + "\n");
        configFile = dir.resolve("mitosis.yaml");
        Files.writeString(configFile, String.join("\n", "split:", "  old.shards: 1", "  new.shards: 2",
                "schemas: [app]", "credentials:", "  user: " + MariaDbServer.ADMIN_USER, "  password.file: password",
                "kafka:", "  bootstrap.servers: " + broker.bootstrapServers(), "pairs:", "  - pair: 0", "    servers:",
                "      - name: p0-a", "        host: 127.0.0.1", "        port: " + pair.a().port(),
                "      - name: p0-a0", "        host: 127.0.0.1", "        port: " + pair.a0().port(), ""));
        config = new MitosisConfigLoader(Map.<String, String>of()::get).load(configFile);
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

    private static List<ChangeEvent> read(String topic, int expected) {
        ChangeEventReader reader = ChangeEventReader.forConfig(config);
        List<ChangeEvent> events = new ArrayList<>();
        // A pattern subscription sees a topic created later only at its next metadata refresh (default 5 min).
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(KafkaClients.with(new KafkaClients(
                config.kafka()).consumerProperties("it-" + UUID.randomUUID(), "it"), Map.of("metadata.max.age.ms", "500")))) {
            consumer.subscribe(Pattern.compile(Pattern.quote(topic)));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (events.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    events.add(reader.read(record));
                }
            }
        }
        return events;
    }

    @Test
    void capturesUntilSigtermThenDrainsWithinTenSeconds() throws Exception {
        Path stdout = dir.resolve("capture.out");
        Process capture = ChildJvm.start(dir, "capture", CaptureCommandMain.class, "--config", configFile.toString(),
                "--status-interval-s", "1");
        try {
            await().atMost(Duration.ofSeconds(60)).until(() ->
                    Files.readString(dir.resolve("capture.err")).contains("status=RUNNING"));
            pair.a().execute("INSERT INTO app.users VALUES (1, 7)");
            pair.a0().execute("INSERT INTO app.users VALUES (2, 8)");
            String topicA = new KafkaClients(config.kafka()).topics().changes("p0-a", "app", "users");
            List<ChangeEvent> events = read(topicA, 2);
            assertThat(events).extracting(e -> e.primaryKey().get("id").asLong()).containsExactlyInAnyOrder(1L, 2L);
            assertThat(events).filteredOn(e -> e.primaryKey().get("id").asLong() == 2)
                    .allSatisfy(e -> assertThat(e.replicated()).isTrue());

            long sent = System.nanoTime();
            capture.destroy();
            assertThat(capture.waitFor(10, TimeUnit.SECONDS)).as("stopped within 10 s of SIGTERM").isTrue();
            System.out.println("CaptureCommandIT SIGTERM to exit: " + (System.nanoTime() - sent) / 1_000_000 + " ms");
            assertThat(capture.exitValue()).isEqualTo(143);
            JsonNode summary = new ObjectMapper().readTree(Files.readString(stdout).strip());
            assertThat(summary.path("command").asText()).isEqualTo("capture");
            assertThat(summary.path("state").asText()).isEqualTo("STOPPED");
            assertThat(summary.path("servers")).hasSize(2);
        } finally {
            capture.destroyForcibly();
        }
    }
}
