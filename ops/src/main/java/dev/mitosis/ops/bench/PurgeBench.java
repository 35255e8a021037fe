package dev.mitosis.ops.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mitosis.connectors.shard.ShardMap;
import dev.mitosis.connectors.topology.TableRule;
import dev.mitosis.purger.PurgeListener;
import dev.mitosis.purger.PurgeProgress;
import dev.mitosis.purger.PurgeReport;
import dev.mitosis.purger.PurgeSettings;
import dev.mitosis.purger.PurgeTarget;
import dev.mitosis.purger.Purger;
import dev.mitosis.purger.ReplicaEndpoint;
import dev.mitosis.testkit.DualMasterPair;
import dev.mitosis.testkit.MariaDbServer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The purge benchmark ({@code ops/bench/purge}): a table of R rows on A of a cut pair whose A has a new HA partner
 * replicating from it; the quarter not owned (residue 2 of 4) is deleted by mitosis unthrottled, mitosis at its
 * default throttle, a plain chunked DELETE loop and {@code pt-archiver --purge --bulk-delete} (when installed),
 * each from the same reloaded data, while a foreground thread does point reads and updates; a baseline runs the
 * foreground alone. Every scenario runs in each of N rounds, in alternating order (forward, backward, ...), and
 * the JSON gives each round, the medians, and the goals of the purge issue: mitosis unthrottled over pt-archiver
 * (median of per-round ratios), and at the default throttle foreground p99 over the baseline's and the partner's
 * largest lag against {@code purge.max.replica.lag.ms}. Reports, never asserts. Prints one JSON object.
 */
public final class PurgeBench {

    private static final String RESIDUE_SQL = "MOD(MOD(uid, 4) + 4, 4) = 2";
    static final String BASELINE = "baseline";
    static final String UNTHROTTLED = "mitosis_unthrottled";
    static final String DEFAULT_THROTTLE = "mitosis_default_throttle";
    static final String DELETE_LOOP = "delete_loop_5000_ids";
    static final String PT_ARCHIVER = "pt_archiver_bulk_delete_1000";
    /** How long the baseline runs the foreground alone. */
    private static final long BASELINE_MS = 8_000;
    /** The fields whose medians the JSON gives. */
    private static final List<String> MEDIAN_FIELDS = List.of("seconds", "rows_per_s", "select_p50_ms",
            "select_p99_ms", "update_p50_ms", "update_p99_ms", "partner_max_lag_ms", "chunks", "chunk_s", "load1");
    /**
     * mitosis with every throttle off: no rows/s cap, lag limits out of reach, chunks of 500 ms up to 20,000 rows.
     * The default 50 ms target shrinks chunks on a loaded machine until commit and checkpoint are half of each.
     */
    static final PurgeSettings UNTHROTTLED_SETTINGS = PurgeSettings.defaults().withMaxRowsPerSecond(0)
            .withReplicaLagMs(3_600_000, 86_400_000).withChunks(500, 2_000, 20_000);

    private final MariaDbServer a;
    private final MariaDbServer partner;
    private final long rows;
    private final Path dir;
    private long templateResidue;

    private PurgeBench(Path dir, DualMasterPair pair, MariaDbServer partner, long rows) {
        this.dir = dir;
        this.a = pair.a();
        this.partner = partner;
        this.rows = rows;
    }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createDirectories(Path.of(args.length > 0 ? args[0] : "target/bench-purge").toAbsolutePath());
        long rows = args.length > 1 ? Long.parseLong(args[1]) : 1_000_000;
        // The third argument limits the run to some scenarios, e.g. "baseline,mitosis_default_throttle", or "all".
        List<String> only = args.length > 2 && !args[2].equals("all") ? List.of(args[2].split(",")) : List.of();
        int roundCount = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        MariaDbServer.Builder[] b = DualMasterPair.builders(dir, "bench", 0);
        DualMasterPair pair = DualMasterPair.start(b[0], b[1]);
        DualMasterPair partnered = null;
        Map<String, Object> result = new LinkedHashMap<>();
        long startNanos = System.nanoTime();
        try {
            pair.a().execute("CREATE DATABASE app", "CREATE TABLE app.bench (id BIGINT AUTO_INCREMENT PRIMARY KEY,"
                    + " uid BIGINT NOT NULL, pad VARCHAR(64) NOT NULL, n INT NOT NULL)",
                    "CREATE DATABASE bench_hb", "CREATE TABLE bench_hb.hb (k INT PRIMARY KEY, ms BIGINT NOT NULL)");
            pair.awaitInSync(Duration.ofSeconds(60));
            pair.cut();
            partnered = DualMasterPair.repartner(pair.a(), MariaDbServer.builder("bench-partner").baseDir(dir)
                    .serverId(909).gtidDomainId(909));
            PurgeBench bench = new PurgeBench(dir, pair, partnered.a0(), rows);
            result.put("rows", rows);
            result.put("rounds", roundCount);
            result.put("load_average_at_start", loadAverage());
            bench.prepareTemplate();
            Map<String, Supplier<Map<String, Object>>> scenarios = new LinkedHashMap<>();
            scenarios.put(BASELINE, () -> {
                sleep(BASELINE_MS);
                return new LinkedHashMap<>();
            });
            scenarios.put(UNTHROTTLED, () -> bench.mitosis(UNTHROTTLED_SETTINGS));
            boolean pt = Files.isExecutable(Path.of("/usr/bin/pt-archiver"));
            if (pt) {
                scenarios.put(PT_ARCHIVER, bench::ptArchiver);
            } else {
                result.put(PT_ARCHIVER, Map.of("skipped", "pt-archiver not installed"));
            }
            scenarios.put(DELETE_LOOP, bench::deleteLoop);
            scenarios.put(DEFAULT_THROTTLE, () -> bench.mitosis(PurgeSettings.defaults()));
            scenarios.keySet().removeIf(name -> !only.isEmpty() && !only.contains(name));
            Map<String, BenchRounds> measured = new LinkedHashMap<>();
            scenarios.keySet().forEach(name -> measured.put(name, new BenchRounds()));
            for (int round = 1; round <= roundCount; round++) {
                List<String> order = new ArrayList<>(scenarios.keySet());
                if (round % 2 == 0) {
                    Collections.reverse(order);
                }
                for (String name : order) {
                    System.err.println("== round " + round + "/" + roundCount + " " + name);
                    Map<String, Object> m = bench.measure(scenarios.get(name));
                    m.put("round", round);
                    measured.get(name).add(m);
                }
            }
            measured.forEach((name, rounds) -> result.put(name, rounds.toJson(MEDIAN_FIELDS)));
            result.put("goals", PurgeBenchGoals.of(measured, PurgeSettings.defaults()));
            result.put("load_average_at_end", loadAverage());
            result.put("bench_seconds", Math.round((System.nanoTime() - startNanos) / 1e9));
        } finally {
            if (partnered != null) {
                partnered.a0().stop();
            }
            pair.close();
        }
        System.out.println(new ObjectMapper().writeValueAsString(result));
    }

    /**
     * The template both servers reload from: written on A with the binlog on, so the partner holds the same rows
     * (RAND(7) is not deterministic across servers). Reloads then run on each server with the binlog off: a purge's
     * row events find the same rows on the partner, and a reload costs no replication of R rows.
     */
    private void prepareTemplate() {
        System.err.println("loading " + rows + " template rows");
        a.execute("CREATE DATABASE tmpl", "CREATE TABLE tmpl.bench LIKE app.bench",
                "INSERT INTO tmpl.bench (id, uid, pad, n) SELECT seq, FLOOR(RAND(7) * 2000000) - 1000000,"
                        + " REPEAT('x', 40), seq FROM tmpl.seq_1_to_" + rows);
        partnered();
        templateResidue = count("SELECT COUNT(*) FROM tmpl.bench WHERE " + RESIDUE_SQL);
    }

    /** Both servers back to the template, in parallel, binlog off; the partner first applies what A wrote. */
    private void reload() {
        partnered();
        CompletableFuture<Void> other = CompletableFuture.runAsync(() -> reload(partner));
        reload(a);
        try {
            other.get(10, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("reloading the partner failed: " + e, e);
        }
    }

    private static void reload(MariaDbServer server) {
        server.execute("SET SESSION sql_log_bin = 0", "TRUNCATE app.bench",
                "INSERT INTO app.bench SELECT * FROM tmpl.bench");
    }

    /**
     * Reloads the table when a purge took rows from it (replicated to the partner), then runs {@code purge} under
     * foreground load.
     */
    private Map<String, Object> measure(Supplier<Map<String, Object>> purge) {
        long residue = count("SELECT COUNT(*) FROM app.bench WHERE " + RESIDUE_SQL);
        double reloadSeconds = 0;
        if (residue != templateResidue) {
            long t0 = System.nanoTime();
            reload();
            reloadSeconds = (System.nanoTime() - t0) / 1e9;
            residue = templateResidue;
        }
        AtomicBoolean on = new AtomicBoolean(true);
        List<Long> reads = new ArrayList<>();
        List<Long> updates = new ArrayList<>();
        AtomicLong maxLagMs = new AtomicLong();
        Thread foreground = new Thread(() -> foreground(on, reads, updates), "foreground");
        Thread lag = new Thread(() -> lagSampler(on, maxLagMs), "lag");
        double load1 = loadAverage()[0];
        foreground.start();
        lag.start();
        long start = System.nanoTime();
        Map<String, Object> m = purge.get();
        double seconds = (System.nanoTime() - start) / 1e9;
        on.set(false);
        join(foreground);
        join(lag);
        long left = count("SELECT COUNT(*) FROM app.bench WHERE " + RESIDUE_SQL);
        if (residue - left > 0) {
            m.put("deleted", residue - left);
            m.put("seconds", Math.round(seconds * 100) / 100.0);
            m.put("rows_per_s", Math.round((residue - left) / seconds));
        }
        m.put("select_p50_ms", percentile(reads, 50));
        m.put("select_p99_ms", percentile(reads, 99));
        m.put("update_p50_ms", percentile(updates, 50));
        m.put("update_p99_ms", percentile(updates, 99));
        m.put("partner_max_lag_ms", maxLagMs.get());
        m.put("load1", load1);
        m.put("reload_s", Math.round(reloadSeconds * 10) / 10.0);
        System.err.println("  " + m);
        return m;
    }

    /** One mitosis run; its chunks' own time (delete, checkpoint, commit) apart from the run's. */
    private Map<String, Object> mitosis(PurgeSettings settings) {
        a.execute("DROP DATABASE IF EXISTS _mitosis");
        AtomicLong chunks = new AtomicLong();
        AtomicLong chunkMs = new AtomicLong();
        PurgeReport report = Purger.builder(new PurgeTarget(new ShardMap(2), 0, a.name(), () -> a.connect("")))
                .settings(settings)
                .tables(List.of("app"), (s, t) -> TableRule.sharded(s, t, "uid"))
                .replicas(List.of(new ReplicaEndpoint(partner.name(), () -> partner.connect(""))))
                .listener(new PurgeListener() {
                    @Override
                    public void chunk(PurgeProgress progress) {
                        chunks.incrementAndGet();
                        chunkMs.addAndGet(progress.chunkMs());
                    }
                })
                .build().run();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("outcome", report.outcome().name());
        m.put("chunks", chunks.get());
        m.put("chunk_s", Math.round(chunkMs.get() / 10.0) / 100.0);
        return m;
    }

    private Map<String, Object> deleteLoop() {
        long maxId = count("SELECT MAX(id) FROM app.bench");
        try (Connection c = a.connect("app");
             PreparedStatement ps = c.prepareStatement("DELETE FROM bench WHERE id > ? AND id <= ? AND "
                     + RESIDUE_SQL)) {
            for (long from = 0; from < maxId; from += 5000) {
                ps.setLong(1, from);
                ps.setLong(2, from + 5000);
                ps.executeUpdate();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return new LinkedHashMap<>();
    }

    private Map<String, Object> ptArchiver() {
        try {
            Path cnf = dir.resolve("pt.cnf");
            Files.writeString(cnf, "[client]\nuser=" + MariaDbServer.ADMIN_USER + "\npassword=" + a.adminPassword()
                    + "\n");
            Process p = new ProcessBuilder("/usr/bin/pt-archiver", "--source",
                    "F=" + cnf + ",h=127.0.0.1,P=" + a.port() + ",D=app,t=bench", "--purge", "--where", RESIDUE_SQL,
                    "--bulk-delete", "--limit", "1000", "--commit-each", "--no-check-charset",
                    "--no-safe-auto-increment").redirectErrorStream(true)
                    .redirectOutput(dir.resolve("pt-archiver.log").toFile()).start();
            if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IllegalStateException("pt-archiver failed, see " + dir.resolve("pt-archiver.log"));
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return new LinkedHashMap<>();
    }

    private void foreground(AtomicBoolean on, List<Long> reads, List<Long> updates) {
        long maxId = count("SELECT MAX(id) FROM app.bench");
        try (Connection c = a.connect("app");
             PreparedStatement select = c.prepareStatement("SELECT * FROM bench WHERE id = ?");
             PreparedStatement update = c.prepareStatement("UPDATE bench SET n = n + 1 WHERE id = ?")) {
            while (on.get()) {
                select.setLong(1, 1 + ThreadLocalRandom.current().nextLong(maxId));
                long t0 = System.nanoTime();
                try (ResultSet rs = select.executeQuery()) {
                    rs.next();
                }
                long t1 = System.nanoTime();
                update.setLong(1, 1 + ThreadLocalRandom.current().nextLong(maxId));
                update.executeUpdate();
                long t2 = System.nanoTime();
                reads.add(t1 - t0);
                updates.add(t2 - t1);
                sleep(5);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The partner's lag: a row written on A every 100 ms with A's clock, read back on the partner. */
    private void lagSampler(AtomicBoolean on, AtomicLong maxLagMs) {
        try (Connection ca = a.connect(""); Connection cp = partner.connect("");
             PreparedStatement write = ca.prepareStatement("REPLACE INTO bench_hb.hb VALUES (1, ?)");
             PreparedStatement read = cp.prepareStatement("SELECT ms FROM bench_hb.hb WHERE k = 1")) {
            while (on.get()) {
                long now = System.currentTimeMillis();
                write.setLong(1, now);
                write.executeUpdate();
                sleep(100);
                try (ResultSet rs = read.executeQuery()) {
                    if (rs.next()) {
                        maxLagMs.accumulateAndGet(System.currentTimeMillis() - rs.getLong(1) - 100, Math::max);
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private void partnered() {
        if (!DualMasterPair.attach(a, partner).awaitInSync(Duration.ofMinutes(10))) {
            throw new IllegalStateException("the partner did not catch up");
        }
    }

    private long count(String sql) {
        return Long.parseLong(a.queryString(sql));
    }

    private static double percentile(List<Long> nanos, int p) {
        if (nanos.isEmpty()) {
            return 0;
        }
        long[] sorted = nanos.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(sorted);
        return Math.round(sorted[Math.min(sorted.length - 1, sorted.length * p / 100)] / 10_000.0) / 100.0;
    }

    /** The 1, 5 and 15 minute load averages, from /proc/loadavg (zeros where there is none). */
    static double[] loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return new double[] {Double.parseDouble(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2])};
        } catch (IOException | RuntimeException e) {
            return new double[3];
        }
    }

    private static void join(Thread t) {
        try {
            t.join(60_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
