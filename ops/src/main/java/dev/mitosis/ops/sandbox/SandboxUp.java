package dev.mitosis.ops.sandbox;

import dev.mitosis.ops.cli.OperatorException;
import dev.mitosis.ops.cli.Progress;
import dev.mitosis.testkit.DualMasterPair;
import dev.mitosis.testkit.KafkaBroker;
import dev.mitosis.testkit.MariaDbServer;
import dev.mitosis.testkit.Ports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code mitosis sandbox up}: N dual-master pairs and one Kafka broker on 127.0.0.1, the sample schema loaded with
 * R rows routed by {@code uid % N}, and {@code sandbox.json} / {@code mitosis.yaml} written. The processes outlive
 * the command. On a dir whose sandbox was stopped, {@code up} starts the same processes again with their data.
 */
public final class SandboxUp {

    private static final Duration STEP_TIMEOUT = Duration.ofMinutes(20);
    private static final Duration SYNC_TIMEOUT = Duration.ofMinutes(5);

    /** What was started, and how long each part took (seconds), for the summary. */
    public record Result(SandboxManifest manifest, boolean restarted, Map<String, Double> seconds) {
    }

    private final SandboxLayout layout;
    private final Progress progress;

    public SandboxUp(Path dir, Progress progress) {
        this.layout = new SandboxLayout(dir);
        this.progress = progress;
    }

    public Result run(int pairs, long rows, long seed) {
        try {
            Files.createDirectories(layout.dir());
            try (FileChannel channel = FileChannel.open(layout.lockFile(), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock lock = channel.tryLock()) {
                if (lock == null) {
                    throw OperatorException.failed("another mitosis sandbox command is working on " + layout.dir());
                }
                if (SandboxManifest.existsIn(layout.dir())) {
                    return restart(pairs);
                }
                refuseForeignContent();
                return create(pairs, rows, seed);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot use sandbox dir " + layout.dir(), e);
        }
    }

    private Result create(int pairs, long rows, long seed) {
        Map<String, Double> seconds = new LinkedHashMap<>();
        String password = MariaDbServer.randomPassword();
        SandboxManifest manifest = plan(pairs, rows, seed, password);
        manifest.write(layout.dir());
        writePasswordFile(password);
        progress.say("starting %d pair(s) and a Kafka broker in %s", pairs, layout.dir());

        ExecutorService pool = Executors.newFixedThreadPool(pairs + 1);
        try {
            List<DualMasterPair> running = startAll(manifest, pool, seconds, true);
            long loadStart = System.nanoTime();
            AtomicLong loaded = new AtomicLong();
            List<Future<Void>> loads = new ArrayList<>();
            for (DualMasterPair pair : running) {
                int index = running.indexOf(pair);
                loads.add(pool.submit(() -> {
                    load(pair, index, pairs, rows, seed, loaded);
                    return null;
                }));
            }
            for (Future<Void> f : loads) {
                await(f);
            }
            seconds.put("load", (System.nanoTime() - loadStart) / 1e9);
            progress.say("loaded %d rows into %s.%s across %d pair(s), replicated to every A0 (%.1f s)", rows,
                    SampleSchema.SCHEMA, SampleSchema.SHARDED_TABLE, pairs, seconds.get("load"));
        } finally {
            pool.shutdownNow();
        }
        SandboxConfig.write(layout, manifest);
        SandboxManifest up = manifest.withState(SandboxManifest.UP);
        up.write(layout.dir());
        seconds.put("total", progress.elapsedSeconds());
        progress.say("sandbox up: config %s; stop it with: mitosis sandbox down --dir %s", layout.config(), layout.dir());
        return new Result(up, false, seconds);
    }

    /** Starts the broker and every pair at once; fresh pairs are linked, restarted ones resume their links. */
    private List<DualMasterPair> startAll(SandboxManifest manifest, ExecutorService pool, Map<String, Double> seconds,
                                          boolean fresh) {
        Future<Double> broker = pool.submit(() -> timed(() -> SandboxFleet.broker(layout, manifest.kafka()).start()));
        List<Future<DualMasterPair>> started = new ArrayList<>();
        for (SandboxManifest.Pair pair : manifest.pairs()) {
            started.add(pool.submit(() -> startPair(pair, seconds, fresh)));
        }
        List<DualMasterPair> running = new ArrayList<>();
        for (Future<DualMasterPair> f : started) {
            running.add(await(f));
        }
        seconds.put("kafka", await(broker));
        progress.say("kafka ready on %s (%.1f s)", manifest.kafka().bootstrap(), seconds.get("kafka"));
        return running;
    }

    private DualMasterPair startPair(SandboxManifest.Pair pair, Map<String, Double> seconds, boolean fresh) {
        long start = System.nanoTime();
        MariaDbServer.Builder[] builders = SandboxFleet.builders(layout, pair);
        DualMasterPair running = fresh
                ? DualMasterPair.start(builders[0], builders[1])
                : DualMasterPair.attach(builders[0].build().start(), builders[1].build().start());
        if (!running.awaitInSync(SYNC_TIMEOUT)) {
            throw OperatorException.failed(running + " did not catch up within " + SYNC_TIMEOUT);
        }
        double took = (System.nanoTime() - start) / 1e9;
        synchronized (seconds) {
            seconds.put("pair" + pair.pair(), took);
        }
        progress.say("pair %d up: %s and %s replicate both ways (%.1f s)", pair.pair(), running.a(), running.a0(), took);
        return running;
    }

    private void load(DualMasterPair pair, int index, int pairs, long rows, long seed, AtomicLong loaded) throws SQLException {
        MariaDbServer a = pair.a();
        try (Connection c = a.connect("")) {
            try (Statement s = c.createStatement()) {
                for (String ddl : SampleSchema.DDL) {
                    s.execute(ddl);
                }
            }
            SampleData.insertCountries(c);
            List<Long> uids = SampleData.uidsOfPair(rows, index, pairs);
            new SampleData(seed).insertAccounts(c, uids, n -> {
                long total = loaded.addAndGet(n);
                if (total % 50_000 < n || total == rows) {
                    progress.say("loading: %d / %d rows", total, rows);
                }
            });
        }
        if (!pair.awaitInSync(SYNC_TIMEOUT)) {
            throw OperatorException.failed(pair.a0().name() + " did not catch up with " + a.name() + " within " + SYNC_TIMEOUT);
        }
    }

    private Result restart(int pairs) {
        SandboxManifest manifest = SandboxManifest.read(layout.dir());
        if (!SandboxStatus.runningProcesses(layout).isEmpty()) {
            throw OperatorException.failed("a sandbox already runs in " + layout.dir()
                    + "; see `mitosis sandbox status --dir " + layout.dir() + "`, stop it with `mitosis sandbox down --dir "
                    + layout.dir() + "`");
        }
        if (manifest.pairs().size() != pairs) {
            throw OperatorException.usage("--pairs " + pairs + " does not match the stopped sandbox in " + layout.dir()
                    + ", which has " + manifest.pairs().size() + " pair(s); use another --dir or --pairs "
                    + manifest.pairs().size());
        }
        progress.say("restarting the stopped sandbox in %s with its data", layout.dir());
        Map<String, Double> seconds = new LinkedHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(pairs + 1);
        try {
            startAll(manifest, pool, seconds, false);
        } finally {
            pool.shutdownNow();
        }
        SandboxManifest up = manifest.withState(SandboxManifest.UP);
        up.write(layout.dir());
        seconds.put("total", progress.elapsedSeconds());
        progress.say("sandbox up again in %s", layout.dir());
        return new Result(up, true, seconds);
    }

    private SandboxManifest plan(int pairs, long rows, long seed, String password) {
        List<SandboxManifest.Pair> planned = new ArrayList<>();
        for (int i = 0; i < pairs; i++) {
            MariaDbServer.Builder[] builders = DualMasterPair.builders(layout.servers(), "p" + i, i);
            List<SandboxManifest.Server> servers = new ArrayList<>();
            for (int side = 0; side < 2; side++) {
                MariaDbServer s = builders[side].port(Ports.free()).adminPassword(password).build();
                servers.add(new SandboxManifest.Server(s.name(), s.host(), s.port(), MariaDbServer.ADMIN_USER, password,
                        s.serverId(), s.gtidDomainId(), side == 0 ? "A" : "A0"));
            }
            planned.add(new SandboxManifest.Pair(i, servers));
        }
        int port = Ports.free();
        SandboxManifest.Kafka kafka = new SandboxManifest.Kafka("127.0.0.1:" + port, port, Ports.free());
        return new SandboxManifest(SampleSchema.SCHEMA, layout.config().toString(), SandboxManifest.STARTING,
                layout.dir().toString(), rows, seed, kafka, planned);
    }

    private void refuseForeignContent() throws IOException {
        try (var entries = Files.list(layout.dir())) {
            List<Path> foreign = entries.filter(p -> !p.equals(layout.lockFile())).limit(3).toList();
            if (!foreign.isEmpty()) {
                throw OperatorException.usage(layout.dir() + " is not empty and holds no sandbox (found "
                        + foreign.get(0).getFileName() + "); give an empty or new --dir");
            }
        }
    }

    private void writePasswordFile(String password) {
        try {
            Files.createDirectories(layout.passwordFile().getParent());
            Files.writeString(layout.passwordFile(), password + "\n");
            Files.setPosixFilePermissions(layout.passwordFile(), java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + layout.passwordFile(), e);
        }
    }

    private static double timed(Runnable step) {
        long start = System.nanoTime();
        step.run();
        return (System.nanoTime() - start) / 1e9;
    }

    private static <T> T await(Future<T> future) {
        try {
            return future.get(STEP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw OperatorException.failed("a sandbox step did not finish within " + STEP_TIMEOUT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OperatorException(130, "interrupted");
        }
    }
}
