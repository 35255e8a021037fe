package dev.mitosis.ops.verify;

import com.codahale.metrics.MetricRegistry;
import dev.mitosis.capture.CaptureSettings;
import dev.mitosis.capture.CaptureWorker;
import dev.mitosis.connectors.capture.CaptureState;
import dev.mitosis.connectors.kafka.KafkaClients;
import dev.mitosis.connectors.mariadb.GtidPosition;
import dev.mitosis.connectors.time.Sleeper;
import dev.mitosis.connectors.topology.MitosisConfig;
import dev.mitosis.connectors.topology.MitosisConfigLoader;
import dev.mitosis.testkit.DualMasterPair;
import dev.mitosis.testkit.ItEnvironment;
import dev.mitosis.testkit.KafkaBroker;
import dev.mitosis.testkit.MariaDbServer;
import dev.mitosis.verifier.ContinuousVerifier;
import dev.mitosis.verifier.KafkaChangedRows;
import dev.mitosis.verifier.PairReport;
import dev.mitosis.verifier.PairVerifier;
import dev.mitosis.verifier.ReportJson;
import dev.mitosis.verifier.Verdict;
import dev.mitosis.verifier.VerifySettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Continuous verification fed by the real capture (Debezium into Kafka, status on the health topic): under writes
 * through both masters, then after they stop, a PASS holding for both servers' final positions appears from a
 * refresh, without another full pass. Prints the time from the last write to that verdict.
 */
class ContinuousVerifyCaptureIT {

    private static final String PASSWORD = "continuous-capture";
    private static final int ROWS = 4000;
    private static final long SEED = Long.getLong("mitosis.seed", System.nanoTime());
    private static KafkaBroker broker;
    private static DualMasterPair pair;
    private static MitosisConfig config;
    private static CaptureWorker capture;

    @BeforeAll
    static void start() throws Exception {
        System.err.println("ContinuousVerifyCaptureIT seed=" + SEED + " (replay with -Dmitosis.seed=" + SEED + ")");
        Path dir = ItEnvironment.dirFor(ContinuousVerifyCaptureIT.class);
        broker = KafkaBroker.inDir(dir.resolve("kafka"), ItEnvironment.port(0), ItEnvironment.port(1), false).start();
        MariaDbServer.Builder[] b = DualMasterPair.builders(dir, "p0", 0);
        pair = DualMasterPair.start(b[0].port(ItEnvironment.port(2)).adminPassword(PASSWORD),
                b[1].port(ItEnvironment.port(3)).adminPassword(PASSWORD));
        pair.a().execute("CREATE DATABASE app", "CREATE TABLE app.t (id BIGINT PRIMARY KEY, uid BIGINT NOT NULL,"
                + " name VARCHAR(40), amount DECIMAL(12,2))", "USE app",
                "INSERT INTO app.t SELECT seq, seq, CONCAT('n', seq), seq / 100 FROM seq_1_to_" + ROWS);
        assertThat(pair.awaitInSync(Duration.ofSeconds(30))).isTrue();
        Files.writeString(dir.resolve("password"), PASSWORD + "\n");
        Path file = Files.writeString(dir.resolve("mitosis.yaml"), """
                split: {old.shards: 1, new.shards: 2}
                schemas: [app]
                credentials: {user: %s, password.file: password}
                kafka: {bootstrap.servers: "%s", topic.prefix: cvcap}
                pairs:
                  - pair: 0
                    servers:
                      - {name: p0-a, host: 127.0.0.1, port: %d}
                      - {name: p0-a0, host: 127.0.0.1, port: %d}
                """.formatted(MariaDbServer.ADMIN_USER, broker.bootstrapServers(), pair.a().port(), pair.a0().port()));
        config = new MitosisConfigLoader(Map.<String, String>of()::get).load(file);
        capture = CaptureWorker.forAllServers(config, CaptureSettings.defaults(), "rebaseline {server}",
                new MetricRegistry(), Clock.systemUTC()).start();
        await().atMost(Duration.ofSeconds(120)).until(() -> capture.health().stream()
                .allMatch(h -> h.state() == CaptureState.RUNNING));
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {capture, pair, broker}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception ignored) {
                // the others still stop
            }
        }
    }

    /** Updates through one master on the ids of its parity, paced, until stopped. */
    private static Thread writer(MariaDbServer server, int parity, AtomicBoolean running, AtomicLong lastWrite) {
        Thread t = new Thread(() -> {
            Random random = new Random(SEED + parity);
            try (Connection c = server.connect("app");
                 PreparedStatement update = c.prepareStatement("UPDATE t SET amount = amount + 1 WHERE id = ?")) {
                long next = System.nanoTime();
                while (running.get()) {
                    next += 10_000_000L; // 100 writes/s per master: pacing the load
                    LockSupport.parkNanos(next - System.nanoTime());
                    update.setLong(1, 2L * random.nextInt(ROWS / 2) + 1 + parity);
                    update.executeUpdate();
                    lastWrite.set(System.nanoTime());
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "writer-" + server.name());
        t.start();
        return t;
    }

    @Test
    void afterTheWritesStopARefreshedPassHoldsForBothServersFinalPositions() throws Exception {
        List<PairReport> verdicts = new CopyOnWriteArrayList<>();
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong lastWrite = new AtomicLong();
        VerifySettings settings = VerifySettings.from(config).withChunkRows(500, 500);
        try (KafkaChangedRows changes = new KafkaChangedRows(config.topology().pair(0),
                new KafkaClients(config.kafka()), settings.recheckWait(), Duration.ofSeconds(30), Clock.systemUTC())) {
            await().atMost(Duration.ofSeconds(30)).until(() -> changes.unavailable().isEmpty());
            List<Thread> writers = List.of(writer(pair.a(), 0, running, lastWrite), writer(pair.a0(), 1, running, lastWrite));
            ContinuousVerifier verifier = new ContinuousVerifier(config.topology().pair(0), config.schemas(), settings,
                    changes, new ContinuousVerifier.Schedule(Duration.ofMinutes(10), Duration.ofMillis(100),
                            Duration.ofSeconds(5)), PairVerifier.Request.everything(), v -> {
                                System.err.println("ContinuousVerifyCaptureIT verdict " + v.verdict() + " at "
                                        + v.gtidA() + "/" + v.gtidA0() + " " + v.reasons() + " " + v.notes());
                                verdicts.add(v);
                            },
                    Clock.systemUTC(), Sleeper.SYSTEM).start();
            try {
                await().atMost(Duration.ofSeconds(120)).until(() -> verdicts.stream().anyMatch(v -> v.notes().stream()
                        .anyMatch(n -> n.startsWith("refreshed from"))));
                running.set(false);
                for (Thread w : writers) {
                    w.join();
                }
                long stopped = lastWrite.get();
                assertThat(pair.awaitInSync(Duration.ofSeconds(30))).isTrue();
                GtidPosition finalA = GtidPosition.parse(pair.a().gtidBinlogPos());
                GtidPosition finalA0 = GtidPosition.parse(pair.a0().gtidBinlogPos());
                PairReport fresh = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10))
                        .until(() -> verdicts.stream().filter(v -> v.verdict() == Verdict.PASS
                                && GtidPosition.parse(v.gtidA()).covers(finalA)
                                && GtidPosition.parse(v.gtidA0()).covers(finalA0)).findFirst(), Optional::isPresent)
                        .orElseThrow();
                System.err.printf("ContinuousVerifyCaptureIT: fresh PASS %d ms after the last write: %s%n",
                        (System.nanoTime() - stopped) / 1_000_000, ReportJson.compact(fresh));
                assertThat(fresh.notes()).anyMatch(n -> n.startsWith("refreshed from the change stream"));
            } finally {
                running.set(false);
                verifier.close();
            }
        }
        assertThat(verdicts).noneMatch(v -> v.verdict() == Verdict.FAIL);
    }
}
