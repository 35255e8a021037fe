package dev.mitosis.ops.flip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.JsonNode;
import dev.mitosis.capture.CaptureSettings;
import dev.mitosis.capture.CaptureWorker;
import dev.mitosis.connectors.capture.CaptureState;
import dev.mitosis.connectors.events.ChangeEvent;
import dev.mitosis.connectors.events.ChangeEventReader;
import dev.mitosis.connectors.events.DuplicateFilter;
import dev.mitosis.connectors.events.Op;
import dev.mitosis.connectors.kafka.KafkaClients;
import dev.mitosis.connectors.routing.RouteLease;
import dev.mitosis.connectors.routing.RoutingAck;
import dev.mitosis.connectors.routing.RoutingStore;
import dev.mitosis.connectors.routing.ShardDataSources;
import dev.mitosis.connectors.routing.ShardRouter;
import dev.mitosis.connectors.topology.MitosisConfig;
import dev.mitosis.connectors.topology.MitosisConfigLoader;
import dev.mitosis.ops.Main;
import dev.mitosis.testkit.DualMasterPair;
import dev.mitosis.testkit.ItEnvironment;
import dev.mitosis.testkit.KafkaBroker;
import dev.mitosis.testkit.MariaDbServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The flip as services live it: three router clients write under load through both old pairs, {@code mitosis flip}
 * doubles the routing, every client applies it within a second, and the change stream of all four servers shows
 * that no write a client made after it switched reached a server whose new shard does not own the uid.
 */
class FlipUnderLoadIT {

    private static final String PASSWORD = "flip-under-load";
    private static final List<String> CLIENTS = List.of("svc-0", "svc-1", "svc-2");

    private static KafkaBroker broker;
    private static DualMasterPair pair0;
    private static DualMasterPair pair1;
    private static Path configFile;
    private static MitosisConfig config;
    private static CaptureWorker capture;

    @BeforeAll
    static void start() throws Exception {
        Path dir = ItEnvironment.dirFor(FlipUnderLoadIT.class);
        broker = KafkaBroker.inDir(dir.resolve("kafka"), ItEnvironment.port(0), ItEnvironment.port(1), false).start();
        pair0 = pair(dir, 0, 2);
        pair1 = pair(dir, 1, 4);
        Files.writeString(dir.resolve("password"), PASSWORD + "\n");
        configFile = Files.writeString(dir.resolve("mitosis.yaml"), """
                split: {old.shards: 2, new.shards: 4}
                schemas: [app]
                credentials: {user: %s, password.file: password}
                kafka: {bootstrap.servers: "%s", topic.prefix: flipload}
                pairs:
                  - pair: 0
                    servers:
                      - {name: p0-a, host: 127.0.0.1, port: %d}
                      - {name: p0-a0, host: 127.0.0.1, port: %d}
                  - pair: 1
                    servers:
                      - {name: p1-a, host: 127.0.0.1, port: %d}
                      - {name: p1-a0, host: 127.0.0.1, port: %d}
                """.formatted(MariaDbServer.ADMIN_USER, broker.bootstrapServers(), pair0.a().port(), pair0.a0().port(),
                pair1.a().port(), pair1.a0().port()));
        config = new MitosisConfigLoader(Map.<String, String>of()::get).load(configFile);
        capture = CaptureWorker.forAllServers(config, CaptureSettings.defaults(), "rebaseline {server}",
                new MetricRegistry(), Clock.systemUTC()).start();
        await().atMost(Duration.ofSeconds(120)).until(() -> capture.health().stream()
                .allMatch(h -> h.state() == CaptureState.RUNNING));
    }

    private static DualMasterPair pair(Path dir, int number, int firstPort) {
        MariaDbServer.Builder[] b = DualMasterPair.builders(dir, "p" + number, number);
        DualMasterPair pair = DualMasterPair.start(b[0].port(ItEnvironment.port(firstPort)).adminPassword(PASSWORD),
                b[1].port(ItEnvironment.port(firstPort + 1)).adminPassword(PASSWORD));
        pair.a().execute("CREATE DATABASE app", "CREATE TABLE app.writes (id BIGINT AUTO_INCREMENT PRIMARY KEY,"
                + " uid BIGINT NOT NULL, client VARCHAR(20) NOT NULL, written_us BIGINT NOT NULL)");
        return pair;
    }

    @AfterAll
    static void stop() {
        try {
            if (capture != null) {
                capture.close();
            }
        } finally {
            for (AutoCloseable c : new AutoCloseable[] {pair0, pair1, broker::stop}) {
                try {
                    if (c != null) {
                        c.close();
                    }
                } catch (Exception ignored) {
                    // the others still stop
                }
            }
        }
    }

    @Test
    void afterEachClientSwitchedNoneOfItsWritesReachesAShardThatDoesNotOwnTheUid() throws Exception {
        assertThat(flip("--to", "2").code).isZero();
        KafkaClients kafka = new KafkaClients(config.kafka());
        RoutingStore routing = new RoutingStore(kafka);
        List<ShardRouter> routers = new ArrayList<>();
        List<Writer> writers = new ArrayList<>();
        try (ShardDataSources pools = new ShardDataSources(MariaDbServer.ADMIN_USER, PASSWORD, "app", 2)) {
            for (String client : CLIENTS) {
                ShardRouter router = ShardRouter.start(kafka, client, Duration.ofSeconds(30));
                routers.add(router);
                writers.add(new Writer(router, pools, new SplittableRandom(client.hashCode())));
            }
            writers.forEach(Writer::start);
            await().atMost(Duration.ofSeconds(30)).until(() -> writers.stream().allMatch(w -> w.ok.get() > 100));

            Run split = flip("--to", "4", "--force", "--reason", "FlipUnderLoadIT: routing only, gates are tested elsewhere");
            assertThat(split.code).as(split.err).isZero();
            await().atMost(Duration.ofSeconds(15)).until(() -> CLIENTS.stream().allMatch(c -> epoch(routing, c) == 2));
            Instant published = Instant.parse(routing.latest().orElseThrow().publishedAt());
            Map<String, Instant> switched = new HashMap<>();
            for (String client : CLIENTS) {
                Instant applied = Instant.parse(routing.acks().get(client).appliedAt());
                switched.put(client, applied);
                long ms = Duration.between(published, applied).toMillis();
                System.out.println("FlipUnderLoadIT: " + client + " switched " + ms + " ms after the flip was published");
                assertThat(ms).as(client + " applies the new map within 1 s").isLessThanOrEqualTo(1_000);
            }
            long before = writers.stream().mapToLong(w -> w.ok.get()).sum();
            await().atMost(Duration.ofSeconds(30)).until(() -> writers.stream().mapToLong(w -> w.ok.get()).sum() > before + 600);
            writers.forEach(Writer::stopAndJoin);
            writers.forEach(w -> assertThat(w.errors.get()).as("write errors of " + w.router.clientId()).isZero());

            long written = writers.stream().mapToLong(w -> w.ok.get()).sum();
            List<ChangeEvent> local = localInserts(kafka, written);
            assertThat(local).hasSize((int) written);

            Map<String, Integer> newShard = Map.of("p0-a", 0, "p1-a", 1, "p0-a0", 2, "p1-a0", 3);
            Map<String, Long> afterSwitch = new HashMap<>();
            for (ChangeEvent event : local) {
                JsonNode row = event.after().orElseThrow();
                long uid = row.get("uid").asLong();
                String client = row.get("client").asText();
                Instant writtenAt = Instant.EPOCH.plus(row.get("written_us").asLong(), ChronoUnit.MICROS);
                if (!writtenAt.isBefore(switched.get(client))) {
                    afterSwitch.merge(client, 1L, Long::sum);
                    assertThat(Math.floorMod(uid, 4)).as("uid %d written by %s at %s, after it switched at %s, landed on %s",
                            uid, client, writtenAt, switched.get(client), event.server())
                            .isEqualTo(newShard.get(event.server()));
                } else {
                    assertThat(event.server()).as("before the switch, uid %d goes to the A of old shard %d", uid,
                            Math.floorMod(uid, 2)).isEqualTo("p" + Math.floorMod(uid, 2) + "-a");
                }
            }
            System.out.println("FlipUnderLoadIT: " + written + " writes, after the switch per client " + afterSwitch);
            assertThat(afterSwitch).as("every client wrote after its switch, so the check is not vacuous")
                    .containsOnlyKeys(CLIENTS).allSatisfy((c, n) -> assertThat(n).isGreaterThan(100));
        } finally {
            writers.forEach(Writer::stopAndJoin);
            routers.forEach(ShardRouter::close);
        }
    }

    /** The local (not replicated) inserts of app.writes on all four servers, once each. */
    private static List<ChangeEvent> localInserts(KafkaClients kafka, long expected) {
        ChangeEventReader reader = ChangeEventReader.forConfig(config);
        DuplicateFilter seen = new DuplicateFilter();
        List<ChangeEvent> events = new ArrayList<>();
        Pattern topics = Pattern.compile(Pattern.quote(kafka.topics().prefix() + ".cdc.") + "p[01]-a0?"
                + Pattern.quote(".app.writes"));
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(KafkaClients.with(
                kafka.consumerProperties("it-" + UUID.randomUUID(), "it"), Map.of("metadata.max.age.ms", "500")))) {
            consumer.subscribe(topics);
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (events.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    ChangeEvent event = reader.read(record);
                    boolean first = seen.firstTime(record.topic() + "-" + record.partition(), event);
                    if (first && !event.replicated() && event.op() == Op.CREATE) {
                        events.add(event);
                    }
                }
            }
        }
        return events;
    }

    private static long epoch(RoutingStore routing, String client) {
        RoutingAck ack = routing.acks().get(client);
        return ack == null ? 0 : ack.epoch();
    }

    private static Run flip(String... args) {
        List<String> all = new ArrayList<>(List.of("flip", "--config", configFile.toString()));
        all.addAll(List.of(args));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), all.toArray(String[]::new));
        return new Run(code, err.toString());
    }

    private record Run(int code, String err) {
    }

    /** One service thread: a random uid, a lease, one insert on the leased route, as fast as it goes. */
    private static final class Writer extends Thread {
        final ShardRouter router;
        final ShardDataSources pools;
        final SplittableRandom random;
        final AtomicBoolean running = new AtomicBoolean(true);
        final AtomicLong ok = new AtomicLong();
        final AtomicLong errors = new AtomicLong();
        final Map<String, Connection> connections = new ConcurrentHashMap<>();

        Writer(ShardRouter router, ShardDataSources pools, SplittableRandom random) {
            super("writer-" + router.clientId());
            this.router = router;
            this.pools = pools;
            this.random = random;
        }

        @Override
        public void run() {
            while (running.get()) {
                long uid = random.nextLong(-1_000_000, 1_000_000);
                try (RouteLease lease = router.lease(uid)) {
                    Instant now = Instant.now();
                    long micros = ChronoUnit.MICROS.between(Instant.EPOCH, now);
                    try (Connection c = pools.of(lease.route()).getConnection();
                         PreparedStatement insert = c.prepareStatement(
                                 "INSERT INTO app.writes (uid, client, written_us) VALUES (?, ?, ?)")) {
                        insert.setLong(1, uid);
                        insert.setString(2, router.clientId());
                        insert.setLong(3, micros);
                        insert.executeUpdate();
                    }
                    ok.incrementAndGet();
                } catch (Exception e) {
                    errors.incrementAndGet();
                    System.err.println("FlipUnderLoadIT: write failed: " + e);
                }
            }
        }

        void stopAndJoin() {
            running.set(false);
            try {
                join(Duration.ofSeconds(30).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
