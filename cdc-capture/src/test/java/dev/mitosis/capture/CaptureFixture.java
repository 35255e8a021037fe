package dev.mitosis.capture;

import dev.mitosis.connectors.events.ChangeEvent;
import dev.mitosis.connectors.events.ChangeEventReader;
import dev.mitosis.connectors.kafka.KafkaClients;
import dev.mitosis.connectors.topology.MitosisConfig;
import dev.mitosis.connectors.topology.MitosisConfigLoader;
import dev.mitosis.testkit.DualMasterPair;
import dev.mitosis.testkit.ItEnvironment;
import dev.mitosis.testkit.KafkaBroker;
import dev.mitosis.testkit.MariaDbServer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * One broker and one dual-master pair ({@code p0-a}, {@code p0-a0}) with schema {@code app} and table
 * {@code users(id PK, uid, name)}, and the mitosis.yaml that names them: what each capture IT starts once.
 */
final class CaptureFixture implements AutoCloseable {

    static final String PASSWORD = "capture-it-password";

    final Path dir;
    final KafkaBroker broker;
    final DualMasterPair pair;
    final Path configFile;
    final MitosisConfig config;

    private CaptureFixture(Path dir, KafkaBroker broker, DualMasterPair pair, Path configFile, MitosisConfig config) {
        this.dir = dir;
        this.broker = broker;
        this.pair = pair;
        this.configFile = configFile;
        this.config = config;
    }

    static CaptureFixture start(Class<?> testClass) {
        Path dir = ItEnvironment.dirFor(testClass);
        KafkaBroker broker = KafkaBroker.inDir(dir.resolve("kafka"), ItEnvironment.port(0), ItEnvironment.port(1),
                false);
        DualMasterPair pair = null;
        try {
            broker.start();
            MariaDbServer.Builder[] builders = DualMasterPair.builders(dir, "p0", 0);
            builders[0].port(ItEnvironment.port(2)).adminPassword(PASSWORD);
            builders[1].port(ItEnvironment.port(3)).adminPassword(PASSWORD);
            pair = DualMasterPair.start(builders[0], builders[1]);
            pair.a().execute("CREATE DATABASE app",
                    "CREATE TABLE app.users (id BIGINT PRIMARY KEY, uid BIGINT NOT NULL, name VARCHAR(100),"
                            + " balance DECIMAL(12,2))");
            if (!pair.awaitInSync(Duration.ofSeconds(30))) {
                throw new IllegalStateException("pair not in sync after creating the schema");
            }
            Files.writeString(dir.resolve("password"), PASSWORD + "\n");
            Path configFile = dir.resolve("mitosis.yaml");
            Files.writeString(configFile, String.join("\n",
                    "split:", "  old.shards: 1", "  new.shards: 2",
                    "schemas: [app]",
                    "credentials:", "  user: " + MariaDbServer.ADMIN_USER, "  password.file: password",
                    "kafka:", "  bootstrap.servers: " + broker.bootstrapServers(), "  topic.prefix: it",
                    "pairs:", "  - pair: 0", "    servers:",
                    "      - name: p0-a", "        host: 127.0.0.1", "        port: " + pair.a().port(),
                    "      - name: p0-a0", "        host: 127.0.0.1", "        port: " + pair.a0().port(),
                    ""));
            MitosisConfig config = load(configFile);
            return new CaptureFixture(dir, broker, pair, configFile, config);
        } catch (IOException e) {
            closeQuietly(broker, pair);
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            closeQuietly(broker, pair);
            throw e;
        }
    }

    private static MitosisConfig load(Path file) {
        return new MitosisConfigLoader(Map.<String, String>of()::get).load(file);
    }

    private static void closeQuietly(KafkaBroker broker, DualMasterPair pair) {
        try {
            if (pair != null) {
                pair.close();
            }
        } finally {
            broker.stop();
        }
    }

    KafkaClients kafka() {
        return new KafkaClients(config.kafka());
    }

    /** The same fleet with A ({@code p0-a}) reached through {@code port} instead of its own (a proxy in front). */
    MitosisConfig configWithAAt(int port) {
        try {
            String yaml = Files.readString(configFile)
                    .replace("port: " + pair.a().port() + "\n", "port: " + port + "\n");
            Path file = dir.resolve("mitosis-a-at-" + port + ".yaml");
            Files.writeString(file, yaml);
            return load(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every change event in the topics matching {@code topics}, read from the start until {@code expected} came. */
    List<Record> readAll(Pattern topics, int expected, Duration timeout) {
        ChangeEventReader reader = ChangeEventReader.forConfig(config);
        List<Record> events = new ArrayList<>();
        // A pattern subscription sees a topic created later only at its next metadata refresh (default 5 min).
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(KafkaClients.with(
                kafka().consumerProperties("it-" + UUID.randomUUID(), "it-reader"), Map.of("metadata.max.age.ms", "500")))) {
            consumer.subscribe(topics);
            long deadline = System.nanoTime() + timeout.toNanos();
            int idlePolls = 0;
            while (System.nanoTime() < deadline && (events.size() < expected || idlePolls < 3)) {
                var batch = consumer.poll(Duration.ofMillis(500));
                idlePolls = batch.isEmpty() ? idlePolls + 1 : 0;
                for (ConsumerRecord<byte[], byte[]> record : batch) {
                    events.add(new Record(record, reader.read(record)));
                }
            }
        }
        return events;
    }

    /** A change event with the Kafka record it came from. */
    record Record(ConsumerRecord<byte[], byte[]> raw, ChangeEvent event) {
        String topicPartition() {
            return raw.topic() + "-" + raw.partition();
        }
    }

    @Override
    public void close() {
        closeQuietly(broker, pair);
    }
}
