package dev.mitosis.ops.bench;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mitosis.capture.CaptureSettings;
import dev.mitosis.capture.CaptureWorker;
import dev.mitosis.connectors.capture.CaptureState;
import dev.mitosis.connectors.kafka.KafkaClients;
import dev.mitosis.connectors.topology.MitosisConfig;
import dev.mitosis.connectors.topology.MitosisConfigLoader;
import dev.mitosis.connectors.topology.Server;
import dev.mitosis.testkit.KafkaBroker;
import dev.mitosis.testkit.MariaDbServer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Capture's throughput against a bare Debezium engine on one server and broker of this machine: N rows written
 * first (single-row transactions, then 1k-row transactions) while both engines are stopped at a stored offset, then
 * four runs over that backlog, capture, bare, bare, capture (ABBA), each timed until the broker holds all N events;
 * an engine's rate is the mean of its two runs. Then p99 latency (commit → consumer)
 * at a steady 2k rows/s through capture, and this JVM's RSS. Both engines run with the engine and producer settings
 * of {@link dev.mitosis.capture.CaptureEngineConfig} (see {@code ops/bench/capture}'s header for what differs). Run
 * by {@code ops/bench/capture}; prints one JSON object. Not a test: numbers are reported, never asserted.
 */
public final class CaptureBench {

    private static final Duration WAIT = Duration.ofMinutes(5);

    private final MariaDbServer server;
    private final KafkaBroker broker;
    private final Path dir;
    private long nextId = 1;

    private CaptureBench(MariaDbServer server, KafkaBroker broker, Path dir) {
        this.server = server;
        this.broker = broker;
        this.dir = dir;
    }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createDirectories(Path.of(args.length > 0 ? args[0] : "target/bench-capture").toAbsolutePath());
        int rows = args.length > 1 ? Integer.parseInt(args[1]) : 200_000;
        int latencySeconds = args.length > 2 ? Integer.parseInt(args[2]) : 30;
        MariaDbServer server = MariaDbServer.builder("bench").baseDir(dir).serverId(1).gtidDomainId(1).build();
        KafkaBroker broker = KafkaBroker.inDir(dir.resolve("kafka"), 0, 0, false);
        try {
            server.start();
            broker.start();
            server.execute("CREATE DATABASE bench", "CREATE TABLE bench.events (id BIGINT PRIMARY KEY, uid BIGINT,"
                    + " payload VARCHAR(100), written_ms BIGINT)");
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("rows", rows);
            CaptureBench bench = new CaptureBench(server, broker, dir);
            result.put("single_row_transactions", bench.throughput("single", rows, 1));
            result.put("transactions_of_1000_rows", bench.throughput("txn", rows, 1000));
            result.put("latency_at_2000_rows_per_s", bench.latency(latencySeconds));
            result.put("bench_jvm_rss_mib", rssMib());
            System.out.println(new ObjectMapper().writeValueAsString(result));
        } finally {
            server.stop();
            broker.stop();
        }
    }

    /** A config naming the bench server (and an unused peer: a pair needs two) under its own topic prefix. */
    private MitosisConfig config(String topicPrefix) throws Exception {
        Files.writeString(dir.resolve("password"), server.adminPassword() + "\n");
        Path file = dir.resolve(topicPrefix + ".yaml");
        Files.writeString(file, String.join("\n", "split:", "  old.shards: 1", "  new.shards: 2", "schemas: [bench]",
                "credentials:", "  user: " + MariaDbServer.ADMIN_USER, "  password.file: password",
                "kafka:", "  bootstrap.servers: " + broker.bootstrapServers(), "  topic.prefix: " + topicPrefix,
                "pairs:", "  - pair: 0", "    servers:",
                "      - name: bench", "        host: 127.0.0.1", "        port: " + server.port(),
                "      - name: unused", "        host: 127.0.0.1", "        port: 1", ""));
        return new MitosisConfigLoader(Map.<String, String>of()::get).load(file);
    }

    /** The order of the engine runs over one backlog: ABBA, so drift of this machine's load and JIT favours neither. */
    private static final List<String> RUNS = List.of("mitosis", "bare", "bare", "mitosis");

    private Map<String, Object> throughput(String scenario, int rows, int rowsPerTransaction) throws Exception {
        List<MitosisConfig> configs = new ArrayList<>();
        for (int i = 0; i < RUNS.size(); i++) {
            configs.add(config(RUNS.get(i) + "-" + scenario + "-" + i));
        }
        Server benchServer = configs.get(0).topology().server("bench").orElseThrow();
        // Every run stores a start offset (a heartbeat), then stops: the rows below are each run's backlog.
        for (int i = 0; i < RUNS.size(); i++) {
            MitosisConfig config = configs.get(i);
            try (AutoCloseable engine = start(RUNS.get(i), config, benchServer)) {
                awaitTrue(() -> CaptureWorker.hasStoredPosition(config, benchServer));
            }
        }
        long writeStart = System.nanoTime();
        write(rows, rowsPerTransaction);
        double writeSeconds = (System.nanoTime() - writeStart) / 1e9;
        System.err.printf("bench %s: wrote %d rows in %.1f s%n", scenario, rows, writeSeconds);

        Map<String, List<Rate>> rates = new LinkedHashMap<>();
        for (int i = 0; i < RUNS.size(); i++) {
            MitosisConfig config = configs.get(i);
            String topic = new KafkaClients(config.kafka()).topics().changes("bench", "bench", "events");
            long start = System.nanoTime();
            try (AutoCloseable engine = start(RUNS.get(i), config, benchServer)) {
                rates.computeIfAbsent(RUNS.get(i), k -> new ArrayList<>()).add(timeUntil(config, topic, rows, start));
            }
        }
        double mitosis = mean(rates.get("mitosis"), Rate::eventsPerSecond);
        double bare = mean(rates.get("bare"), Rate::eventsPerSecond);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("write_rows_per_s", Math.round(rows / writeSeconds));
        result.put("mitosis_events_per_s", Math.round(mitosis));
        result.put("bare_debezium_events_per_s", Math.round(bare));
        result.put("ratio", Math.round(100.0 * mitosis / bare) / 100.0);
        result.put("mitosis_runs_events_per_s", rates.get("mitosis").stream()
                .map(r -> Math.round(r.eventsPerSecond())).toList());
        result.put("bare_debezium_runs_events_per_s", rates.get("bare").stream()
                .map(r -> Math.round(r.eventsPerSecond())).toList());
        result.put("mitosis_start_s", Math.round(mean(rates.get("mitosis"), Rate::startSeconds) * 100) / 100.0);
        result.put("bare_debezium_start_s", Math.round(mean(rates.get("bare"), Rate::startSeconds) * 100) / 100.0);
        System.err.println("bench " + scenario + ": " + result);
        return result;
    }

    private static double mean(List<Rate> rates, java.util.function.ToDoubleFunction<Rate> value) {
        return rates.stream().mapToDouble(value).average().orElse(Double.NaN);
    }

    /** Capture (waiting until it streams) or the bare engine, running until closed. */
    private AutoCloseable start(String engine, MitosisConfig config, Server benchServer) {
        return engine.equals("mitosis") ? worker(config, benchServer) : bareEngine(config, benchServer).start();
    }

    private CaptureWorker worker(MitosisConfig config, Server benchServer) {
        CaptureWorker worker = new CaptureWorker(config, List.of(benchServer), CaptureSettings.defaults(),
                "rebaseline", new MetricRegistry(), Clock.systemUTC()).start();
        awaitTrue(() -> worker.health().get(0).state() == CaptureState.RUNNING
                || worker.health().get(0).state() == CaptureState.CATCHING_UP);
        return worker;
    }

    private BareDebeziumEngine bareEngine(MitosisConfig config, Server benchServer) {
        return new BareDebeziumEngine(benchServer, config.schemas(), new KafkaClients(config.kafka()), 6000);
    }

    private void write(int rows, int rowsPerTransaction) throws SQLException {
        try (Connection c = server.connect("bench")) {
            StringBuilder sql = new StringBuilder("INSERT INTO events VALUES ");
            for (int i = 0; i < rowsPerTransaction; i++) {
                sql.append(i == 0 ? "" : ",").append("(?,?,?,?)");
            }
            try (PreparedStatement insert = c.prepareStatement(sql.toString())) {
                for (int written = 0; written < rows; written += rowsPerTransaction) {
                    int p = 1;
                    for (int i = 0; i < rowsPerTransaction; i++) {
                        long id = nextId++;
                        insert.setLong(p++, id);
                        insert.setLong(p++, id % 97);
                        insert.setString(p++, "payload-" + id);
                        insert.setLong(p++, System.currentTimeMillis());
                    }
                    insert.executeUpdate();
                }
            }
        }
    }

    /**
     * Events per second while streaming: from the first event in the topic until it holds {@code rows} records
     * (engine start, preflight and connect excluded; they are reported apart as {@code start_s}).
     */
    private static Rate timeUntil(MitosisConfig config, String topic, int rows, long start) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaClients(config.kafka()).newConsumer("bench", "bench")) {
            long deadline = System.nanoTime() + WAIT.toNanos();
            long firstAt = -1;
            long firstCount = 0;
            long lastReport = System.nanoTime();
            while (System.nanoTime() < deadline) {
                var partitions = consumer.partitionsFor(topic, Duration.ofSeconds(5));
                long count = partitions == null || partitions.isEmpty() ? 0 : consumer.endOffsets(partitions.stream()
                        .map(p -> new TopicPartition(topic, p.partition())).toList()).values().stream()
                        .mapToLong(Long::longValue).sum();
                long now = System.nanoTime();
                if (count > 0 && firstAt < 0) {
                    firstAt = now;
                    firstCount = count;
                }
                if (count >= rows) {
                    double streamSeconds = Math.max(1e-3, (now - firstAt) / 1e9);
                    return new Rate((count - firstCount) / streamSeconds, (firstAt - start) / 1e9);
                }
                if (now - lastReport > 5e9) {
                    System.err.printf("bench %s: %d of %d%n", topic, count, rows);
                    lastReport = now;
                }
                pause(Duration.ofMillis(50));
            }
        }
        throw new IllegalStateException(topic + " did not reach " + rows + " records within " + WAIT);
    }

    /** A streaming rate and how long the engine took to its first event. */
    private record Rate(double eventsPerSecond, double startSeconds) {
    }

    /** Capture running, rows written at 2,000/s for {@code seconds}: commit → consumer latency percentiles. */
    private Map<String, Object> latency(int seconds) throws Exception {
        MitosisConfig config = config("mitosis-latency");
        Server benchServer = config.topology().server("bench").orElseThrow();
        String topic = new KafkaClients(config.kafka()).topics().changes("bench", "bench", "events");
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        int rows = 2000 * seconds;
        long firstId = nextId;
        try (CaptureWorker worker = worker(config, benchServer);
             KafkaConsumer<byte[], byte[]> consumer = new KafkaClients(config.kafka()).newConsumer("lat", "lat")) {
            consumer.subscribe(List.of(topic));
            Thread reader = new Thread(() -> {
                ObjectMapper json = new ObjectMapper();
                while (latencies.size() < rows && !Thread.currentThread().isInterrupted()) {
                    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                        long now = System.currentTimeMillis();
                        try {
                            long written = json.readTree(record.value()).path("after").path("written_ms").asLong();
                            latencies.add(now - written);
                        } catch (java.io.IOException e) {
                            throw new IllegalStateException(e);
                        }
                    }
                }
            }, "bench-latency-reader");
            reader.start();
            try (Connection c = server.connect("bench");
                 PreparedStatement insert = c.prepareStatement("INSERT INTO events VALUES (?,?,?,?)")) {
                long begin = System.nanoTime();
                for (int i = 0; i < rows; i++) {
                    long due = begin + i * 500_000L;
                    while (System.nanoTime() < due) {
                        Thread.onSpinWait();
                    }
                    long id = nextId++;
                    insert.setLong(1, id);
                    insert.setLong(2, id % 97);
                    insert.setString(3, "latency-" + id);
                    insert.setLong(4, System.currentTimeMillis());
                    insert.executeUpdate();
                }
            }
            reader.join(WAIT.toMillis());
            reader.interrupt();
        }
        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("rows", nextId - firstId);
        result.put("received", sorted.size());
        result.put("p50_ms", percentile(sorted, 0.50));
        result.put("p99_ms", percentile(sorted, 0.99));
        result.put("max_ms", sorted.isEmpty() ? -1 : sorted.get(sorted.size() - 1));
        System.err.println("bench latency: " + result);
        return result;
    }

    private static long percentile(List<Long> sorted, double q) {
        return sorted.isEmpty() ? -1 : sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(q * sorted.size()) - 1));
    }

    private static void awaitTrue(BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("condition not met within 90 s");
            }
            pause(Duration.ofMillis(100));
        }
    }

    private static void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static long rssMib() throws java.io.IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
            }
        }
        return -1;
    }
}
