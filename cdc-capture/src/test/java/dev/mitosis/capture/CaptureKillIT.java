package dev.mitosis.capture;

import com.codahale.metrics.MetricRegistry;
import dev.mitosis.connectors.capture.CaptureState;
import dev.mitosis.connectors.events.ChangeEvent;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * kill -9 of the capture process (a child JVM) at random moments while {@value #WRITES} rows are written by
 * {@value #WRITERS} sessions: afterwards every written row is in Kafka with the GTID its write got, the duplicates
 * each kill caused are counted, and after de-duplication ({@link DuplicateFilter}) each change is there exactly
 * once. Replay with {@code -Dmitosis.seed=S} (the seed is printed).
 */
class CaptureKillIT {

    private static final int WRITES = 50_000;
    private static final int WRITERS = 4;
    private static final int KILLS = 3;
    /**
     * How far the writers may run ahead of what capture published: the writes span the whole run, so every kill
     * lands while rows are being written, not after.
     */
    private static final int LEAD = 4_000;

    private static CaptureFixture fixture;
    private Process child;

    @BeforeAll
    static void start() {
        fixture = CaptureFixture.start(CaptureKillIT.class);
        // A first start stores an offset (a heartbeat) within seconds; from then on every start resumes from it.
        Server serverA = fixture.config.topology().server("p0-a").orElseThrow();
        try (CaptureWorker worker = new CaptureWorker(fixture.config, List.of(serverA), CaptureSettings.defaults(),
                "rebaseline {server}", new MetricRegistry(), Clock.systemUTC()).start()) {
            // Bounds for a loaded machine: a first start reads the schema before it streams.
            await().atMost(Duration.ofSeconds(180)).until(() ->
                    worker.health().get(0).state() == CaptureState.RUNNING);
            await().atMost(Duration.ofSeconds(60)).until(() -> CaptureWorker.hasStoredPosition(fixture.config, serverA));
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

    private static String topic() {
        return fixture.kafka().topics().changes("p0-a", "app", "users");
    }

    /** The end offset of each partition of A's change topic: where the records written after now begin. */
    private static Map<Integer, Long> endOffsets() {
        try (var consumer = fixture.kafka().newConsumer("it-count", "it-count")) {
            var partitions = consumer.partitionsFor(topic(), Duration.ofSeconds(10)).stream()
                    .map(p -> new TopicPartition(topic(), p.partition())).toList();
            Map<Integer, Long> ends = new HashMap<>();
            consumer.endOffsets(partitions, Duration.ofSeconds(10)).forEach((tp, end) -> ends.put(tp.partition(), end));
            return ends;
        }
    }

    /** Records in A's change topic so far (duplicates included). */
    private static long published() {
        return endOffsets().values().stream().mapToLong(Long::longValue).sum();
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
        AtomicLong publishedSoFar = new AtomicLong();
        ScheduledExecutorService counter = Executors.newSingleThreadScheduledExecutor();
        counter.scheduleWithFixedDelay(() -> publishedSoFar.set(published()), 0, 200, TimeUnit.MILLISECONDS);
        child = startChild(0);
        ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
        List<Future<?>> writing = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            int writer = w;
            writing.add(writers.submit(() -> write(a, writer, gtidOfRow, publishedSoFar)));
        }
        // Kill at a random point of each of KILLS equal segments of the stream capture publishes, always after the
        // restarted child has published something; where each kill left the topic marks the replay it caused.
        List<Map<Integer, Long>> killedAt = new ArrayList<>();
        int segment = WRITES / KILLS;
        try {
            for (int kill = 0; kill < KILLS; kill++) {
                long at = Math.max(kill * segment + segment / 10 + random.nextInt(segment * 8 / 10),
                        publishedSoFar.get() + 100);
                await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(50))
                        .until(() -> publishedSoFar.get() >= at);
                child.destroyForcibly();
                assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
                killedAt.add(endOffsets());
                System.out.println("CaptureKillIT kill " + (kill + 1) + " at write " + gtidOfRow.size()
                        + ", published " + published());
                child = startChild(kill + 1);
            }
            for (Future<?> w : writing) {
                w.get(300, TimeUnit.SECONDS);
            }
        } finally {
            writers.shutdownNow();
            counter.shutdownNow();
        }
        assertThat(gtidOfRow).hasSize(WRITES);
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(1)).until(() -> published() >= WRITES);

        Pattern topic = Pattern.compile(Pattern.quote(topic()));
        Map<Long, String> gtidOfFirst = new HashMap<>();
        long[] duplicatesByKill = new long[KILLS + 1];
        Map<Long, Integer> afterFilter = new HashMap<>();
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(5)).until(() -> {
            gtidOfFirst.clear();
            afterFilter.clear();
            Arrays.fill(duplicatesByKill, 0);
            DuplicateFilter fresh = new DuplicateFilter();
            for (CaptureFixture.Record record : fixture.readAll(topic, WRITES, Duration.ofSeconds(90))) {
                ChangeEvent event = record.event();
                long id = event.primaryKey().get("id").asLong();
                if (gtidOfFirst.putIfAbsent(id, event.gtid()) != null) {
                    duplicatesByKill[replayOf(killedAt, record)]++;
                }
                if (fresh.firstTime(record.topicPartition(), event)) {
                    afterFilter.merge(id, 1, Integer::sum);
                }
            }
            return gtidOfFirst.keySet().containsAll(gtidOfRow.keySet());
        });
        assertThat(gtidOfFirst).hasSize(WRITES);
        for (Map.Entry<Long, String> written : gtidOfRow.entrySet()) {
            assertThat(gtidOfFirst.get(written.getKey())).as("GTID of row %d", written.getKey())
                    .isEqualTo(written.getValue());
        }
        assertThat(afterFilter).hasSize(WRITES).allSatisfy((id, count) -> assertThat(count).isEqualTo(1));
        long duplicates = Arrays.stream(duplicatesByKill).sum();
        System.out.println("CaptureKillIT writes=" + WRITES + " kills=" + KILLS + " duplicates=" + duplicates
                + " per kill=" + Arrays.toString(Arrays.copyOfRange(duplicatesByKill, 1, KILLS + 1))
                + (duplicatesByKill[0] == 0 ? "" : " before the first kill=" + duplicatesByKill[0])
                + "; after de-duplication each change exactly once");

        // SIGTERM drains and stops within 10 s with the offsets committed.
        long before = System.nanoTime();
        child.destroy();
        assertThat(child.waitFor(10, TimeUnit.SECONDS)).as("capture stopped within 10 s of SIGTERM").isTrue();
        System.out.println("CaptureKillIT SIGTERM stop took " + (System.nanoTime() - before) / 1_000_000 + " ms");
    }

    /** 0 if the record was written before the first kill, else the number of the last kill before it. */
    private static int replayOf(List<Map<Integer, Long>> killedAt, CaptureFixture.Record record) {
        int kill = 0;
        for (int i = 0; i < killedAt.size(); i++) {
            if (record.raw().offset() >= killedAt.get(i).getOrDefault(record.raw().partition(), Long.MAX_VALUE)) {
                kill = i + 1;
            }
        }
        return kill;
    }

    /**
     * Writer {@code writer} inserts the rows whose id is {@code writer} modulo {@value #WRITERS}, one per commit,
     * staying at most {@value #LEAD} rows ahead of what capture published.
     */
    private static void write(MariaDbServer server, int writer, Map<Long, String> gtidOfRow, AtomicLong published) {
        try (Connection c = server.connect("app"); Statement s = c.createStatement()) {
            for (long id = 1 + writer; id <= WRITES; id += WRITERS) {
                if (gtidOfRow.size() - published.get() > LEAD) {
                    await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(100))
                            .until(() -> gtidOfRow.size() - published.get() <= LEAD);
                }
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
