package dev.mitosis.capture;

import com.codahale.metrics.MetricRegistry;
import dev.mitosis.connectors.capture.CaptureState;
import dev.mitosis.connectors.events.ChangeEvent;
import dev.mitosis.capture.internal.StoredOffsets;
import dev.mitosis.connectors.events.DuplicateFilter;
import dev.mitosis.connectors.topology.Server;
import org.apache.kafka.common.TopicPartition;
import dev.mitosis.testkit.MariaDbServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * kill -9 of the capture process (a child JVM) at random moments while rows are written: afterwards every written
 * row is in Kafka with the GTID its write got, duplicates are counted, and after de-duplication each change is
 * there exactly once. The 50k writes belong to the benchmark; here {@value #WRITES} keep the IT short.
 * Replay with {@code -Dmitosis.seed=S}.
 */
class CaptureKillIT {

    private static final int WRITES = 12_000;
    private static final int KILLS = 3;

    private static CaptureFixture fixture;
    private Process child;

    @BeforeAll
    static void start() {
        fixture = CaptureFixture.start(CaptureKillIT.class);
        // A first start stores an offset (a heartbeat) within seconds; from then on every start resumes from it.
        Server serverA = fixture.config.topology().server("p0-a").orElseThrow();
        try (CaptureWorker worker = new CaptureWorker(fixture.config,
                List.of(fixture.config.topology().server("p0-a").orElseThrow()), CaptureSettings.defaults(),
                "rebaseline {server}", new MetricRegistry(), Clock.systemUTC()).start()) {
            await().atMost(Duration.ofSeconds(60)).until(() ->
                    worker.health().get(0).state() == CaptureState.RUNNING);
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    new StoredOffsets(fixture.kafka()).read(serverA).isPresent());
        }
    }

    /** Records in A's change topic so far (duplicates included). */
    private static long published() {
        try (var consumer = fixture.kafka().newConsumer("it-count", "it-count")) {
            String topic = fixture.kafka().topics().changes("p0-a", "app", "users");
            var partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            return consumer.endOffsets(partitions, Duration.ofSeconds(10)).values().stream()
                    .mapToLong(Long::longValue).sum();
        }
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @AfterEach
    void killChild() {
        if (child != null && child.isAlive()) {
            child.destroyForcibly();
        }
    }

    private Process startChild(int attempt) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path log = fixture.dir.resolve("capture-" + attempt + ".log");
        return new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                CaptureMain.class.getName(), fixture.configFile.toString(), "p0-a", "none")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    @Test
    void killNineLosesNoChange() throws Exception {
        long seed = Long.getLong("mitosis.seed", System.nanoTime());
        System.out.println("CaptureKillIT seed=" + seed + " (replay with -Dmitosis.seed=" + seed + ")");
        Random random = new Random(seed);
        MariaDbServer a = fixture.pair.a();
        Map<Long, String> gtidOfRow = new ConcurrentHashMap<>();
        child = startChild(0);
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> write(a, gtidOfRow));
        // Kill at random moments of the stream: one in each of KILLS equal segments of what capture published,
        // always after the restarted child has made some progress.
        int segment = WRITES / (KILLS + 1);
        for (int kill = 1; kill <= KILLS; kill++) {
            long at = Math.max(kill * segment - segment / 2 + random.nextInt(segment), published() + 100);
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(50))
                    .until(() -> published() >= at);
            child.destroyForcibly();
            assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
            System.out.println("CaptureKillIT kill " + kill + " at write " + gtidOfRow.size() + ", published " + at);
            child = startChild(kill);
        }
        writer.get(180, TimeUnit.SECONDS);

        Pattern topic = Pattern.compile(Pattern.quote(fixture.kafka().topics().changes("p0-a", "app", "users")));
        Map<Long, ChangeEvent> firstOfRow = new HashMap<>();
        long[] duplicates = {0};
        Map<Long, Integer> afterFilter = new HashMap<>();
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(2)).until(() -> {
            firstOfRow.clear();
            afterFilter.clear();
            duplicates[0] = 0;
            DuplicateFilter fresh = new DuplicateFilter();
            for (CaptureFixture.Record record : fixture.readAll(topic, WRITES, Duration.ofSeconds(60))) {
                ChangeEvent event = record.event();
                long id = event.primaryKey().get("id").asLong();
                if (firstOfRow.putIfAbsent(id, event) != null) {
                    duplicates[0]++;
                }
                if (fresh.firstTime(record.topicPartition(), event)) {
                    afterFilter.merge(id, 1, Integer::sum);
                }
            }
            return firstOfRow.keySet().containsAll(gtidOfRow.keySet());
        });
        assertThat(firstOfRow).hasSize(WRITES);
        for (Map.Entry<Long, String> written : gtidOfRow.entrySet()) {
            assertThat(firstOfRow.get(written.getKey()).gtid()).as("GTID of row %d", written.getKey())
                    .isEqualTo(written.getValue());
        }
        assertThat(afterFilter).hasSize(WRITES).allSatisfy((id, count) -> assertThat(count).isEqualTo(1));
        System.out.println("CaptureKillIT writes=" + WRITES + " kills=" + KILLS + " duplicates=" + duplicates[0]
                + " after de-duplication: each change exactly once");

        // SIGTERM drains and stops within 10 s with the offsets committed.
        long before = System.nanoTime();
        child.destroy();
        assertThat(child.waitFor(10, TimeUnit.SECONDS)).as("capture stopped within 10 s of SIGTERM").isTrue();
        System.out.println("CaptureKillIT SIGTERM stop took " + (System.nanoTime() - before) / 1_000_000 + " ms");
    }

    private static void write(MariaDbServer server, Map<Long, String> gtidOfRow) {
        try (Connection c = server.connect("app"); Statement s = c.createStatement()) {
            for (long id = 1; id <= WRITES; id++) {
                s.execute("INSERT INTO users VALUES (" + id + ", " + id + ", 'k', 0)");
                try (ResultSet rs = s.executeQuery("SELECT @@last_gtid")) {
                    rs.next();
                    gtidOfRow.put(id, rs.getString(1));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
