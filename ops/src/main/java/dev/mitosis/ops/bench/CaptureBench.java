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
import org.apache.kafka.clients.admin.Admin;
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
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.ToDoubleFunction;

/**
 * Capture's throughput against a bare Debezium engine on one server and broker of this machine: N rows written first
 * (single-row transactions, then 1k-row transactions) while every engine run waits stopped at its own stored offset,
 * then R rounds over that complete backlog, each running capture and the bare engine one after the other (capture
 * first in even rounds, bare first in odd ones), each timed from its start until the broker acknowledged all N
 * events; medians and their ratio. Then p99 latency (commit → consumer) at a steady 2k rows/s through capture, and
 * this JVM's RSS. Both engines run with the engine and producer settings of
 * {@link dev.mitosis.capture.CaptureEngineConfig} (see {@code ops/bench/capture}'s header for what differs). Run by
 * {@code ops/bench/capture}; prints one JSON object. Not a test: numbers are reported, never asserted.
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
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        MariaDbServer server = MariaDbServer.builder("bench").baseDir(dir).serverId(1).gtidDomainId(1).build();
        KafkaBroker broker = KafkaBroker.inDir(dir.resolve("kafka"), 0, 0, false);
        try {
            server.start();
            broker.start();
            server.execute("CREATE DATABASE bench", "CREATE TABLE bench.events (id BIGINT PRIMARY KEY, uid BIGINT,"
                    + " payload VARCHAR(100), written_ms BIGINT)");
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("rows", rows);
            result.put("rounds", rounds);
            result.put("load_average_at_start", loadAverage());
            CaptureBench bench = new CaptureBench(server, broker, dir);
            result.put("single_row_transactions", bench.throughput("single", rows, 1, rounds));
            result.put("transactions_of_1000_rows", bench.throughput("txn", rows, 1000, rounds));
            result.put("latency_at_2000_rows_per_s", bench.latency(latencySeconds));
            result.put("bench_jvm_rss_mib", rssMib());
            result.put("load_average_at_end", loadAverage());
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

    private static final String MITOSIS = "mitosis";
    private static final String BARE = "bare";

    /** Unscored runs before the rounds, one of each engine: the first runs of a JVM and a backlog are slow. */
    private static final int WARM_UP_RUNS = 2;

    /**
     * A warm-up run of each engine, then round r runs both over the same backlog, capture first in even rounds and
     * bare first in odd ones, so drift of this machine's load favours neither.
     */
    private static List<String> runOrder(int rounds) {
        List<String> runs = new ArrayList<>(List.of(BARE, MITOSIS));
        for (int r = 0; r < rounds; r++) {
            runs.addAll(r % 2 == 0 ? List.of(MITOSIS, BARE) : List.of(BARE, MITOSIS));
        }
        return runs;
    }

    private Map<String, Object> throughput(String scenario, int rows, int rowsPerTransaction, int rounds)
            throws Exception {
        List<String> runs = runOrder(rounds);
        List<MitosisConfig> configs = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            configs.add(config(runs.get(i) + "-" + scenario + "-" + i));
        }
        Server benchServer = configs.get(0).topology().server("bench").orElseThrow();
        // Every run stores a start offset (a heartbeat), then stops: the rows below are each run's backlog, complete
        // before any run starts.
        for (int i = 0; i < runs.size(); i++) {
            MitosisConfig config = configs.get(i);
            try (AutoCloseable engine = start(runs.get(i), config, benchServer)) {
                awaitTrue(() -> CaptureWorker.hasStoredPosition(config, benchServer));
            }
        }
        long writeStart = System.nanoTime();
        write(rows, rowsPerTransaction);
        double writeSeconds = (System.nanoTime() - writeStart) / 1e9;
        System.err.printf("bench %s: wrote %d rows in %.1f s; load %s%n", scenario, rows, writeSeconds, loadAverage());

        Map<String, List<Rate>> rates = new LinkedHashMap<>();
        rates.put(MITOSIS, new ArrayList<>());
        rates.put(BARE, new ArrayList<>());
        for (int i = 0; i < runs.size(); i++) {
            MitosisConfig config = configs.get(i);
            String topic = new KafkaClients(config.kafka()).topics().changes("bench", "bench", "events");
            try (KafkaConsumer<byte[], byte[]> consumer = new KafkaClients(config.kafka()).newConsumer("bench",
                    "bench")) {
                long start = System.nanoTime();
                try (AutoCloseable engine = start(runs.get(i), config, benchServer)) {
                    Rate rate = timeUntil(consumer, topic, rows, start);
                    if (i >= WARM_UP_RUNS) {
                        rates.get(runs.get(i)).add(rate);
                    }
                    System.err.printf("bench %s %s %s: %.0f events/s (streaming %.0f, first event after %.2f s)"
                            + "; load %s%n", scenario, i < WARM_UP_RUNS ? "warm-up" : "round " + (i / 2), runs.get(i),
                            rate.eventsPerSecond(),
                            rate.streamingEventsPerSecond(), rate.startSeconds(), loadAverage());
                }
            }
            deleteTopics(config);
        }
        double mitosis = median(rates.get(MITOSIS), Rate::eventsPerSecond);
        double bare = median(rates.get(BARE), Rate::eventsPerSecond);
        double mitosisStreaming = median(rates.get(MITOSIS), Rate::streamingEventsPerSecond);
        double bareStreaming = median(rates.get(BARE), Rate::streamingEventsPerSecond);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("write_rows_per_s", Math.round(rows / writeSeconds));
        result.put("run_order", runs.subList(WARM_UP_RUNS, runs.size()));
        result.put("mitosis_events_per_s", Math.round(mitosis));
        result.put("bare_debezium_events_per_s", Math.round(bare));
        result.put("ratio", round2(mitosis / bare));
        result.put("mitosis_runs_events_per_s", rounded(rates.get(MITOSIS), Rate::eventsPerSecond));
        result.put("bare_debezium_runs_events_per_s", rounded(rates.get(BARE), Rate::eventsPerSecond));
        result.put("streaming_mitosis_events_per_s", Math.round(mitosisStreaming));
        result.put("streaming_bare_debezium_events_per_s", Math.round(bareStreaming));
        result.put("streaming_ratio", round2(mitosisStreaming / bareStreaming));
        result.put("mitosis_first_event_s", round2(median(rates.get(MITOSIS), Rate::startSeconds)));
        result.put("bare_debezium_first_event_s", round2(median(rates.get(BARE), Rate::startSeconds)));
        result.put("load_average", loadAverage());
        System.err.println("bench " + scenario + ": " + result);
        return result;
    }

    /**
     * Deletes every topic of a finished run (its prefix's): each run publishes the whole backlog anew, about 15 GB
     * over all runs at 200k rows, which filled the disk when kept. The broker removes the files a minute later.
     */
    private static void deleteTopics(MitosisConfig config) throws Exception {
        KafkaClients kafka = new KafkaClients(config.kafka());
        String prefix = kafka.topics().prefix() + ".";
        try (Admin admin = kafka.newAdmin("bench-cleanup")) {
            List<String> runTopics = admin.listTopics().names().get(30, TimeUnit.SECONDS).stream()
                    .filter(name -> name.startsWith(prefix)).toList();
            admin.deleteTopics(runTopics).all().get(30, TimeUnit.SECONDS);
        }
    }

    private static double median(List<Rate> rates, ToDoubleFunction<Rate> value) {
        double[] sorted = rates.stream().mapToDouble(value).sorted().toArray();
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    private static List<Long> rounded(List<Rate> rates, ToDoubleFunction<Rate> value) {
        return rates.stream().map(r -> Math.round(value.applyAsDouble(r))).toList();
    }

    private static double round2(double value) {
        return Math.round(value * 100) / 100.0;
    }

    /** The 1, 5 and 15 minute load averages of this machine, as {@code /proc/loadavg} has them. */
    private static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    /**
     * Capture or the bare engine, running until closed; neither is waited for (a run's timer sees the first event
     * when the broker has it, whichever engine).
     */
    private AutoCloseable start(String engine, MitosisConfig config, Server benchServer) {
        return engine.equals("mitosis") ? startedWorker(config, benchServer) : bareEngine(config, benchServer).start();
    }

    private static CaptureWorker startedWorker(MitosisConfig config, Server benchServer) {
        return new CaptureWorker(config, List.of(benchServer), CaptureSettings.defaults(), "rebaseline",
                new MetricRegistry(), Clock.systemUTC()).start();
    }

    /** Capture, once it streams. */
    private CaptureWorker worker(MitosisConfig config, Server benchServer) {
        CaptureWorker worker = startedWorker(config, benchServer);
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
     * Events per second from the engine's start (preflight, connect and schema history recovery included) until the
     * topic holds all {@code rows} records, each acknowledged by the broker; and apart, from the first record seen.
     */
    private static Rate timeUntil(KafkaConsumer<byte[], byte[]> consumer, String topic, int rows, long start) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        List<TopicPartition> partitions = List.of();
        long firstAt = -1;
        long firstCount = 0;
        long lastReport = System.nanoTime();
        while (System.nanoTime() < deadline) {
            if (partitions.isEmpty()) {
                var found = consumer.listTopics(Duration.ofSeconds(5)).get(topic);
                partitions = found == null ? List.of()
                        : found.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            }
            long count = partitions.isEmpty() ? 0 : consumer.endOffsets(partitions).values().stream()
                    .mapToLong(Long::longValue).sum();
            long now = System.nanoTime();
            if (count > 0 && firstAt < 0) {
                firstAt = now;
                firstCount = count;
            }
            if (count >= rows) {
                double seconds = (now - start) / 1e9;
                double streamSeconds = Math.max(1e-3, (now - firstAt) / 1e9);
                return new Rate(count / seconds, (count - firstCount) / streamSeconds, (firstAt - start) / 1e9);
            }
            if (now - lastReport > 5e9) {
                System.err.printf("bench %s: %d of %d%n", topic, count, rows);
                lastReport = now;
            }
            pause(Duration.ofMillis(20));
        }
        throw new IllegalStateException(topic + " did not reach " + rows + " records within " + WAIT);
    }

    /**
     * An engine's rate over the backlog from its start, its rate from the first record seen, and how long it took to
     * that first record.
     */
    private record Rate(double eventsPerSecond, double streamingEventsPerSecond, double startSeconds) {
    }

    /** Capture running, rows written at 2,000/s for {@code seconds}: commit → consumer latency percentiles. */
    private Map<String, Object> latency(int seconds) throws Exception {
        MitosisConfig config = config("mitosis-latency");
        Server benchServer = config.topology().server("bench").orElseThrow();
        String topic = new KafkaClients(config.kafka()).topics().changes("bench", "bench", "events");
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        int rows = 2000 * seconds;
        long firstId = nextId;
        long rssWithCapture;
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
            rssWithCapture = rssMib();
        }
        deleteTopics(config);
        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("rows", nextId - firstId);
        result.put("received", sorted.size());
        result.put("p50_ms", percentile(sorted, 0.50));
        result.put("p99_ms", percentile(sorted, 0.99));
        result.put("max_ms", sorted.isEmpty() ? -1 : sorted.get(sorted.size() - 1));
        result.put("bench_jvm_rss_mib_with_capture_running", rssWithCapture);
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
