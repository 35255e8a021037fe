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
import dev.mitosis.testkit.KafkaBroker;
import dev.mitosis.testkit.MariaDbServer;
import dev.mitosis.verifier.ContinuousVerifier;
import dev.mitosis.verifier.KafkaChangedRows;
import dev.mitosis.verifier.PairReport;
import dev.mitosis.verifier.PairVerifier;
import dev.mitosis.verifier.Verdict;
import dev.mitosis.verifier.VerifySettings;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Continuous mode's freshness with the real capture: capture (Debezium into a broker of this machine) on both
 * servers, {@link ContinuousVerifier} on its default schedule; under writes through both masters, the writes stop,
 * and the time from the last write's commit to the first published PASS whose positions cover both servers' final
 * positions is measured. Repeated; p50 and max reported, never asserted.
 */
final class FreshnessBench {

    private static final Duration WAIT = Duration.ofMinutes(5);

    private FreshnessBench() {
    }

    /**
     * @param seconds how long each round writes before it stops
     */
    static Map<String, Object> measure(DualMasterPair pair, Path dir, int rounds, int writesPerSecond, int seconds)
            throws Exception {
        Map<String, Object> out = new LinkedHashMap<>();
        try (KafkaBroker broker = KafkaBroker.inDir(dir.resolve("kafka"), 0, 0, false).start()) {
            MitosisConfig config = config(pair, broker, dir);
            try (CaptureWorker capture = CaptureWorker.forAllServers(config, CaptureSettings.defaults(),
                    "rebaseline {server}", new MetricRegistry(), Clock.systemUTC()).start()) {
                awaitTrue(() -> capture.health().stream().allMatch(h -> h.state() == CaptureState.RUNNING));
                VerifySettings settings = VerifySettings.from(config);
                List<PairReport> verdicts = new CopyOnWriteArrayList<>();
                try (KafkaChangedRows changes = new KafkaChangedRows(config.topology().pair(0),
                        new KafkaClients(config.kafka()), settings.recheckWait(), Duration.ofSeconds(30),
                        Clock.systemUTC())) {
                    awaitTrue(() -> changes.unavailable().isEmpty());
                    ContinuousVerifier verifier = new ContinuousVerifier(config.topology().pair(0), config.schemas(),
                            settings, changes, ContinuousVerifier.Schedule.defaults(), PairVerifier.Request.everything(),
                            verdicts::add, Clock.systemUTC(), Sleeper.SYSTEM).start();
                    try {
                        long start = System.nanoTime();
                        awaitTrue(() -> verdicts.stream().anyMatch(v -> v.verdict() == Verdict.PASS));
                        out.put("first_pass_s", VerifyBench.seconds(start));
                        List<Double> fresh = new ArrayList<>();
                        List<Double> captured = new ArrayList<>();
                        for (int round = 0; round < rounds; round++) {
                            double[] r = round(pair, capture, verdicts, writesPerSecond, seconds);
                            fresh.add(r[0]);
                            captured.add(r[1]);
                            System.err.printf("freshness round %d: PASS %.2f s, capture status covering %.2f s after"
                                    + " the last write%n", round + 1, r[0], r[1]);
                        }
                        List<Double> sorted = fresh.stream().sorted().toList();
                        out.put("rounds_s", fresh);
                        out.put("p50_s", sorted.get(sorted.size() / 2));
                        out.put("max_s", sorted.get(sorted.size() - 1));
                        // The share of capture: a refresh cannot hold for a position before capture's status covers it.
                        out.put("capture_status_covering_s", captured);
                        out.put("verdicts_not_pass", verdicts.stream().filter(v -> v.verdict() != Verdict.PASS)
                                .map(v -> v.verdict() + " " + v.reasons()).distinct().toList());
                    } finally {
                        verifier.close();
                    }
                }
            }
        }
        return out;
    }

    /**
     * Writes for {@code seconds}, stops, and returns seconds from the last write to a PASS covering it, and to both
     * capture statuses covering it.
     */
    private static double[] round(DualMasterPair pair, CaptureWorker capture, List<PairReport> verdicts,
                                  int writesPerSecond, int seconds) throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong lastWrite = new AtomicLong();
        List<Thread> writers = List.of(writer(pair.a(), 0, writesPerSecond / 2, running, lastWrite),
                writer(pair.a0(), 1, writesPerSecond / 2, running, lastWrite));
        LockSupport.parkNanos(Duration.ofSeconds(seconds).toNanos());
        running.set(false);
        for (Thread w : writers) {
            w.join();
        }
        long stopped = lastWrite.get();
        GtidPosition finalA = GtidPosition.parse(pair.a().gtidBinlogPos());
        GtidPosition finalA0 = GtidPosition.parse(pair.a0().gtidBinlogPos());
        AtomicLong captured = new AtomicLong();
        awaitTrue(() -> {
            if (captured.get() == 0 && capture.statuses().size() == 2 && capture.statuses().stream()
                    .allMatch(st -> st.covers(st.server().equals(pair.a().name()) ? finalA : finalA0))) {
                captured.set(System.nanoTime());
            }
            return verdicts.stream().anyMatch(v -> v.verdict() == Verdict.PASS
                    && GtidPosition.parse(v.gtidA()).covers(finalA) && GtidPosition.parse(v.gtidA0()).covers(finalA0));
        });
        long now = System.nanoTime();
        return new double[] {Math.round((now - stopped) / 1e7) / 100.0,
                Math.round(((captured.get() == 0 ? now : captured.get()) - stopped) / 1e7) / 100.0};
    }

    /** Updates paced to {@code perSecond} through one master, on the ids of its parity; the last commit's time. */
    private static Thread writer(MariaDbServer server, int parity, int perSecond, AtomicBoolean running,
                                 AtomicLong lastWrite) {
        Thread t = new Thread(() -> {
            try (Connection c = server.connect("app"); Statement s = c.createStatement();
                 PreparedStatement update = c.prepareStatement("UPDATE accounts SET balance = balance + 1 WHERE id = ?")) {
                long rows;
                try (ResultSet rs = s.executeQuery("SELECT MAX(id) FROM accounts")) {
                    rs.next();
                    rows = rs.getLong(1);
                }
                long next = System.nanoTime();
                long i = parity * 104_729L;
                while (running.get()) {
                    next += 1_000_000_000L / perSecond;
                    LockSupport.parkNanos(next - System.nanoTime());
                    update.setLong(1, 1 + parity + 2 * ((i++ * 7919) % (rows / 2)));
                    update.executeUpdate();
                    lastWrite.accumulateAndGet(System.nanoTime(), Math::max);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "freshness-writer-" + parity);
        t.start();
        return t;
    }

    private static MitosisConfig config(DualMasterPair pair, KafkaBroker broker, Path dir) throws Exception {
        Files.writeString(dir.resolve("password"), pair.a().adminPassword() + "\n");
        Path file = Files.writeString(dir.resolve("mitosis.yaml"), """
                split: {old.shards: 1, new.shards: 2}
                schemas: [app]
                credentials: {user: %s, password.file: password}
                kafka: {bootstrap.servers: "%s", topic.prefix: bench}
                pairs:
                  - pair: 0
                    servers:
                      - {name: %s, host: 127.0.0.1, port: %d}
                      - {name: %s, host: 127.0.0.1, port: %d}
                """.formatted(MariaDbServer.ADMIN_USER, broker.bootstrapServers(), pair.a().name(), pair.a().port(),
                pair.a0().name(), pair.a0().port()));
        return new MitosisConfigLoader(Map.<String, String>of()::get).load(file);
    }

    private static void awaitTrue(BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("freshness bench: nothing happened within " + WAIT);
            }
            LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
        }
    }
}
