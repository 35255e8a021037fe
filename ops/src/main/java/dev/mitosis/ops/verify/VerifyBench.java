package dev.mitosis.ops.verify;

import dev.mitosis.connectors.time.Sleeper;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mitosis.connectors.config.Password;
import dev.mitosis.connectors.shard.ServerRole;
import dev.mitosis.connectors.topology.Credentials;
import dev.mitosis.connectors.topology.HostPort;
import dev.mitosis.connectors.topology.Pair;
import dev.mitosis.connectors.topology.PasswordSource;
import dev.mitosis.connectors.topology.Server;
import dev.mitosis.testkit.DualMasterPair;
import dev.mitosis.testkit.MariaDbServer;
import dev.mitosis.verifier.PairReport;
import dev.mitosis.verifier.PairVerifier;
import dev.mitosis.verifier.VerifyListener;
import dev.mitosis.verifier.VerifySettings;
import dev.mitosis.verifier.internal.RowEncoding;
import dev.mitosis.verifier.internal.TableCatalog;
import dev.mitosis.verifier.internal.TableShape;
import dev.mitosis.connectors.sql.SqlIdentifiers;
import dev.mitosis.ops.bench.BenchRounds;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code ops/bench/verify}: a pair holding a table like the sandbox's accounts (every column type), N rows; one
 * {@code mitosis verify} pass, {@code CHECKSUM TABLE} on both servers at once (the in-engine floor), and the same
 * pass under live writes through both masters. Prints one JSON object; timings are reported, never asserted.
 */
public final class VerifyBench {

    static final String DDL = """
            CREATE TABLE app.accounts (
              id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY, uid BIGINT NOT NULL, email VARCHAR(191) NULL,
              display_name VARCHAR(100) NULL, bio TEXT NULL, balance DECIMAL(20,6) NULL, score DOUBLE NULL,
              ratio FLOAT NULL, status ENUM('active','suspended','closed') NOT NULL DEFAULT 'active',
              verified BOOLEAN NOT NULL DEFAULT FALSE, country CHAR(2) CHARACTER SET ascii NULL, birth_date DATE NULL,
              created_at DATETIME(6) NOT NULL, updated_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
              token VARBINARY(32) NULL, avatar BLOB NULL, prefs JSON NULL, UNIQUE KEY uk_uid (uid)
            ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4""";

    private static final String PASSWORD = "bench-verify";

    private VerifyBench() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createDirectories(Path.of(args.length > 0 ? args[0] : "target/bench-verify").toAbsolutePath());
        long rows = args.length > 1 ? Long.parseLong(args[1]) : 1_000_000;
        int writesPerSecond = args.length > 2 ? Integer.parseInt(args[2]) : 500;
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        // The servers' buffer pool: the test servers' small one by default, so every contender reads pages through
        // the OS cache; one that holds the table (512M for 1M rows) measures them with it warm.
        Optional<String> bufferPool = args.length > 4 ? Optional.of(args[4]) : Optional.empty();
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("rows", rows);
        result.put("buffer_pool", bufferPool.orElse("testkit default"));
        MariaDbServer.Builder[] b = DualMasterPair.builders(dir, "bench", 0);
        for (MariaDbServer.Builder server : b) {
            bufferPool.ifPresent(size -> server.option("--innodb-buffer-pool-size=" + size));
        }
        // One password for both: the freshness run's config names one set of credentials for the pair.
        try (DualMasterPair pair = DualMasterPair.start(b[0].adminPassword(PASSWORD), b[1].adminPassword(PASSWORD))) {
            long start = System.nanoTime();
            load(pair.a(), rows);
            if (!pair.awaitInSync(Duration.ofMinutes(20))) {
                throw new IllegalStateException("the pair did not sync after loading");
            }
            result.put("load_s", seconds(start));
            pair.a().execute("ANALYZE TABLE app.accounts");
            pair.a().execute("SELECT COUNT(*) FROM app.accounts"); // warm the buffer pool of both
            pair.a0().execute("SELECT COUNT(*) FROM app.accounts");

            result.put("load_average_before", loadAverage());
            result.put("rounds", rounds(pair, rounds));
            result.put("digest_sql_both_s", digestVariants(pair));
            Map<String, Object> underLoad = run(pair, writesPerSecond);
            result.put("verify_under_load", underLoad);
            Object pt = ((Map<?, ?>) result.get("rounds")).get("median") instanceof Map<?, ?> m ? m.get("pt_table_checksum_s") : null;
            if (pt != null) {
                result.put("verify_under_load_over_pt_table_checksum", ratio(underLoad.get("seconds"), pt));
            }
            result.put("load_average_after", loadAverage());
            System.err.println("bench so far: " + new ObjectMapper().writeValueAsString(result));
            result.put("continuous_freshness", FreshnessBench.measure(pair, dir, 5, writesPerSecond, 3));
        }
        System.out.println(new ObjectMapper().writeValueAsString(result));
    }

    /**
     * {@code rounds} rounds of the three contenders on the quiet pair, in an order that alternates per round
     * (CHECKSUM TABLE on both servers at once, pt-table-checksum, {@code verify --once}; then the reverse), so a
     * swing of the shared machine's load hits them alike: every round, the medians, and the ratios of verify's
     * median to the others' (and the median of the per-round ratios).
     */
    private static Map<String, Object> rounds(DualMasterPair pair, int rounds) throws Exception {
        BenchRounds all = new BenchRounds();
        for (int round = 0; round < rounds; round++) {
            Map<String, Object> r = new LinkedHashMap<>();
            List<String> order = round % 2 == 0 ? List.of("checksum_table", "pt", "verify")
                    : List.of("verify", "pt", "checksum_table");
            for (String contender : order) {
                switch (contender) {
                    case "checksum_table" -> r.put("checksum_table_both_s", checksumTableBoth(pair));
                    case "pt" -> {
                        Map<String, Object> pt = ptTableChecksum(pair.a());
                        if (pt.containsKey("seconds")) {
                            r.put("pt_table_checksum_s", pt.get("seconds"));
                            r.put("pt_table_checksum_exit", pt.get("exit"));
                        } else {
                            r.put("pt_table_checksum", pt);
                        }
                    }
                    default -> {
                        Map<String, Object> verify = run(pair, 0);
                        r.put("verify_s", verify.get("seconds"));
                        r.put("verify_verdict", verify.get("verdict"));
                        r.put("verify_rows_per_s_per_server", verify.get("rows_per_s_per_server"));
                        r.put("verify_chunks", verify.get("chunks"));
                    }
                }
            }
            r.put("verify_over_checksum_table_both", ratio(r.get("verify_s"), r.get("checksum_table_both_s")));
            if (r.get("pt_table_checksum_s") != null) {
                r.put("verify_over_pt_table_checksum", ratio(r.get("verify_s"), r.get("pt_table_checksum_s")));
            }
            r.put("load_average", loadAverage());
            System.err.println("verify bench round " + (round + 1) + ": " + new ObjectMapper().writeValueAsString(r));
            all.add(r);
        }
        Map<String, Object> out = all.toJson(List.of("verify_s", "pt_table_checksum_s", "checksum_table_both_s",
                "verify_rows_per_s_per_server", "verify_over_pt_table_checksum", "verify_over_checksum_table_both"));
        Map<?, ?> median = (Map<?, ?>) out.get("median");
        Map<String, Object> ratios = new LinkedHashMap<>();
        ratios.put("verify_over_checksum_table_both", ratio(median.get("verify_s"), median.get("checksum_table_both_s")));
        if (median.get("pt_table_checksum_s") != null) {
            ratios.put("verify_over_pt_table_checksum", ratio(median.get("verify_s"), median.get("pt_table_checksum_s")));
            ratios.put("goal_verify_over_pt_table_checksum_at_most", 1.0);
        }
        out.put("ratios_of_medians", ratios);
        return out;
    }

    private static double checksumTableBoth(DualMasterPair pair) {
        long start = System.nanoTime();
        CompletableFuture<Void> onA = CompletableFuture.runAsync(() -> pair.a().execute("CHECKSUM TABLE app.accounts"));
        CompletableFuture<Void> onA0 = CompletableFuture.runAsync(() -> pair.a0().execute("CHECKSUM TABLE app.accounts"));
        CompletableFuture.allOf(onA, onA0).join();
        return seconds(start);
    }

    /** The 1-, 5- and 15-minute load averages, as {@code uptime} prints them: the shared machine's weather. */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (java.io.IOException | RuntimeException e) {
            return "unknown";
        }
    }

    /**
     * The whole table's digest SQL on both servers at once, best of two interleaved rounds: what the chunk query
     * costs apart from chunking ({@code mitosis_ordered_md5}, the first read of every chunk; {@code mitosis_per_row_sha1},
     * the re-read of a differing one), the row blob alone, a bare CONCAT_WS, pt-table-checksum's CRC32 query, and
     * {@code key_seek_100k}, what a boundary seek of 100k keys costs.
     */
    private static Map<String, Double> digestVariants(DualMasterPair pair) throws Exception {
        List<String> columns;
        try (Connection c = pair.a().connect("app")) {
            TableShape shape = TableCatalog.shape(c, "app", "accounts").orElseThrow();
            columns = shape.columns().stream().map(col -> col.name()).toList();
            Map<String, String> variants = new LinkedHashMap<>();
            String row = RowEncoding.digestRow(shape.columns());
            String big = "SET SESSION group_concat_max_len = 268435456";
            long maxId = Long.parseLong(pair.a().queryString("SELECT MAX(id) FROM app.accounts"));
            // The ordered digest over ranges of 100k key values, as chunks read it: one GROUP_CONCAT of the whole
            // table would hold all its rows' text at once (250 MB at 1M rows).
            variants.put("mitosis_ordered_md5", ranged(big, RowEncoding.chunkOrderedDigestSql(shape, "1 = 1"), maxId));
            variants.put("mitosis_per_row_sha1", RowEncoding.chunkChecksumSql(shape, "1 = 1"));
            variants.put("mitosis_row_blob_only", "SELECT COUNT(*), SUM(LENGTH(" + row + ")) FROM app.accounts");
            variants.put("concat_ws_only", "SELECT COUNT(*), SUM(LENGTH(CONCAT_WS(',', " + String.join(", ",
                    columns.stream().map(SqlIdentifiers::quote).toList()) + "))) FROM app.accounts");
            // pt-table-checksum's own chunk query: CRC32 (32 bits, linear under XOR) of the columns and NULL marks.
            String nulls = String.join(", ", shape.columns().stream().filter(col -> col.nullable())
                    .map(col -> "ISNULL(" + SqlIdentifiers.quote(col.name()) + ")").toList());
            variants.put("pt_crc32", "SELECT COUNT(*), BIT_XOR(CAST(CRC32(CONCAT_WS('#', " + String.join(", ",
                    columns.stream().map(SqlIdentifiers::quote).toList()) + ", CONCAT(" + nulls + "))) AS UNSIGNED))"
                    + " FROM app.accounts");
            variants.put("key_seek_100k", "SELECT MAX(id), COUNT(*) FROM (SELECT id FROM app.accounts ORDER BY id"
                    + " LIMIT 100000) k");
            Map<String, Double> best = new LinkedHashMap<>();
            for (int round = 0; round < 2; round++) {
                for (Map.Entry<String, String> v : variants.entrySet()) {
                    long start = System.nanoTime();
                    String[] sql = v.getValue().split(";");
                    CompletableFuture<Void> onA = CompletableFuture.runAsync(() -> pair.a().execute(sql));
                    CompletableFuture<Void> onA0 = CompletableFuture.runAsync(() -> pair.a0().execute(sql));
                    CompletableFuture.allOf(onA, onA0).join();
                    best.merge(v.getKey(), seconds(start), Math::min);
                }
            }
            return best;
        }
    }

    /**
     * {@code first}, then {@code select} (ending in a WHERE condition) over consecutive ranges of 100k ids up to
     * {@code maxId}, as one script.
     */
    private static String ranged(String first, String select, long maxId) {
        StringBuilder script = new StringBuilder(first);
        for (long low = 0; low <= maxId; low += 100_000) {
            script.append(';').append(select).append(" AND id > ").append(low).append(" AND id <= ")
                    .append(low + 100_000);
        }
        return script.toString();
    }

    /**
     * Percona's pt-table-checksum (if on PATH) run the only way it runs on these pairs: against A alone, with its
     * replica checks off; it checksums A and leaves A0's side to statement-based replication.
     */
    private static Map<String, Object> ptTableChecksum(MariaDbServer a) throws Exception {
        Map<String, Object> out = new LinkedHashMap<>();
        List<String> command = List.of("pt-table-checksum", "--no-version-check", "--no-check-binlog-format",
                "--no-check-replication-filters", "--recursion-method=none", "--databases=app", "--tables=accounts",
                "--replicate=percona.checksums", "h=" + a.host() + ",P=" + a.port() + ",u=" + MariaDbServer.ADMIN_USER
                        + ",p=" + a.adminPassword());
        long start = System.nanoTime();
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(a.dir().resolve("pt-table-checksum.log").toFile()).start();
            out.put("exit", p.waitFor());
            out.put("seconds", seconds(start));
        } catch (java.io.IOException notInstalled) {
            out.put("skipped", "pt-table-checksum is not on PATH (Debian: apt-get install percona-toolkit)");
        }
        return out;
    }

    private static void load(MariaDbServer a, long rows) {
        a.execute("CREATE DATABASE app CHARACTER SET utf8mb4", DDL);
        for (long first = 1; first <= rows; first += 100_000) {
            long last = Math.min(rows, first + 99_999);
            a.execute("INSERT INTO app.accounts (uid, email, display_name, bio, balance, score, ratio, status, verified,"
                    + " country, birth_date, created_at, updated_at, token, avatar, prefs)"
                    + " SELECT seq * 2, CONCAT('user', seq, '@example.com'), IF(seq % 7 = 0, NULL, CONCAT('Näme ', seq)),"
                    + " REPEAT('bio ', seq % 20), seq / 7, seq / 3, seq / 11, ELT(1 + seq % 3, 'active', 'suspended', 'closed'),"
                    + " seq % 2, ELT(1 + seq % 4, 'DE', 'FR', 'JP', 'BR'), '1990-01-01' + INTERVAL seq % 10000 DAY,"
                    + " '2024-01-01' + INTERVAL seq SECOND, '2024-01-01' + INTERVAL seq SECOND, UNHEX(SHA1(seq)),"
                    + " IF(seq % 5 = 0, NULL, REPEAT(UNHEX('00FF'), seq % 40)), CONCAT('{\"n\": ', seq, '}')"
                    + " FROM app.seq_" + first + "_to_" + last);
        }
    }

    /** One verify pass while {@code writesPerSecond} updates go through both masters (half each). */
    private static Map<String, Object> run(DualMasterPair pair, int writesPerSecond) throws Exception {
        AtomicBoolean running = new AtomicBoolean(writesPerSecond > 0);
        AtomicLong writes = new AtomicLong();
        List<Thread> writers = writesPerSecond == 0 ? List.of()
                : List.of(writer(pair.a(), 0, writesPerSecond / 2, running, writes),
                        writer(pair.a0(), 1, writesPerSecond / 2, running, writes));
        List<String> paced = new java.util.concurrent.CopyOnWriteArrayList<>();
        long start = System.nanoTime();
        PairReport report;
        try {
            report = new PairVerifier(pairOf(pair), List.of("app"), VerifySettings.defaults(), Clock.systemUTC(),
                    Sleeper.SYSTEM).verify(new PairVerifier.Request(List.of(), Optional.empty(), new VerifyListener() {
                        @Override
                        public void backingOff(String reason) {
                            paced.add(reason);
                        }
                    }, d -> { }));
        } finally {
            running.set(false);
            for (Thread t : writers) {
                t.join();
            }
        }
        double s = seconds(start);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("seconds", s);
        out.put("verdict", report.verdict());
        out.put("rows_per_s_per_server", Math.round(report.totals().rowsA() / s));
        out.put("chunks", report.totals().chunksCompared());
        out.put("hot_chunks", report.totals().chunksHot());
        out.put("writes_per_s", Math.round(writes.get() / s));
        // Each wait of the read pacer, with its reason: time the verify spent not reading.
        out.put("paced", paced);
        return out;
    }

    private static Thread writer(MariaDbServer server, int parity, int perSecond, AtomicBoolean running, AtomicLong writes) {
        Thread t = new Thread(() -> {
            long rows;
            try (Connection c = server.connect("app"); Statement s = c.createStatement();
                 PreparedStatement update = c.prepareStatement("UPDATE accounts SET balance = balance + 1 WHERE id = ?")) {
                var rs = s.executeQuery("SELECT MAX(id) FROM accounts");
                rs.next();
                rows = rs.getLong(1);
                long next = System.nanoTime();
                long i = 0;
                while (running.get()) {
                    // Ids of one master's parity only: the two masters never write the same row.
                    update.setLong(1, 1 + parity + 2 * ((i++ * 7919) % (rows / 2)));
                    update.executeUpdate();
                    writes.incrementAndGet();
                    next += 1_000_000_000L / perSecond;
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "bench-writer-" + parity);
        t.start();
        return t;
    }

    private static Pair pairOf(DualMasterPair pair) {
        return new Pair(0, server(pair.a(), ServerRole.A), server(pair.a0(), ServerRole.A0));
    }

    private static Server server(MariaDbServer s, ServerRole role) {
        return new Server(s.name(), new HostPort(s.host(), s.port()), 0, role,
                new Credentials(MariaDbServer.ADMIN_USER, new Password(s.adminPassword()), new PasswordSource.Env("UNUSED")));
    }

    private static double ratio(Object numerator, Object denominator) {
        return Math.round(100 * ((Number) numerator).doubleValue() / ((Number) denominator).doubleValue()) / 100.0;
    }

    static double seconds(long startNanos) {
        return Math.round((System.nanoTime() - startNanos) / 1e7) / 100.0;
    }
}
