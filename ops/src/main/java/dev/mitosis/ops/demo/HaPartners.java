package dev.mitosis.ops.demo;

import dev.mitosis.ops.sandbox.SandboxFleet;
import dev.mitosis.testkit.DualMasterPair;
import dev.mitosis.testkit.MariaDbServer;
import java.nio.file.Path;
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

/**
 * A new HA partner for every new shard, as the runbook's step 5 does it (testkit's {@code DualMasterPair.repartner}:
 * a consistent dump of the shard's server restored without binlog, then GTID replication both ways). The partners
 * are provisioned ahead, while the split runs up to the cut, as an operator provisions hosts before a change window:
 * each is initialised, started once and stopped, holding no user data. They live under the sandbox dir, so
 * {@code sandbox down} stops them with the rest.
 */
final class HaPartners implements AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    private final Path sandboxDir;
    private final int oldShards;
    private final Map<Integer, MariaDbServer.Builder> builders = new LinkedHashMap<>();
    private final Map<Integer, DualMasterPair> pairs = new LinkedHashMap<>();
    private final ExecutorService pool = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "demo-partners");
        t.setDaemon(true);
        return t;
    });
    private Future<?> provisioned;

    HaPartners(Path sandboxDir, int oldShards) {
        this.sandboxDir = sandboxDir;
        this.oldShards = oldShards;
    }

    /** Starts provisioning every partner in the background. */
    void provision() {
        for (int shard = 0; shard < 2 * oldShards; shard++) {
            builders.put(shard, SandboxFleet.partner(sandboxDir, shard % oldShards, side(shard)));
        }
        List<MariaDbServer.Builder> all = List.copyOf(builders.values());
        provisioned = pool.submit(() -> {
            for (MariaDbServer.Builder builder : all) {
                builder.build().start().stop();
            }
            return null;
        });
    }

    /** Re-partners every new shard at once; returns one line per shard, or throws naming each that failed. */
    List<String> repartnerAll() throws InterruptedException, java.util.concurrent.TimeoutException {
        try {
            provisioned.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new Timeline.Failed("provisioning the new partners failed: " + e.getCause().getMessage());
        }
        Map<Integer, Future<DualMasterPair>> started = new LinkedHashMap<>();
        for (Map.Entry<Integer, MariaDbServer.Builder> e : builders.entrySet()) {
            MariaDbServer keep = SandboxFleet.server(sandboxDir, e.getKey() % oldShards, side(e.getKey()));
            started.put(e.getKey(), pool.submit(() -> DualMasterPair.repartner(keep, e.getValue())));
        }
        List<String> done = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (Map.Entry<Integer, Future<DualMasterPair>> e : started.entrySet()) {
            int shard = e.getKey();
            try {
                DualMasterPair ha = e.getValue().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                pairs.put(shard, ha);
                if (ha.awaitInSync(TIMEOUT)) {
                    done.add("new shard " + shard + ": " + ha.a().name() + " ⇄ " + ha.a0().name()
                            + " (consistent dump, GTID both ways)");
                } else {
                    problems.add("new shard " + shard + ": " + ha.a0().name() + " did not catch up with "
                            + ha.a().name() + " within " + TIMEOUT.toSeconds() + " s");
                }
            } catch (ExecutionException x) {
                problems.add("new shard " + shard + ": " + x.getCause().getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new Timeline.Failed(String.join("; ", problems));
        }
        return done;
    }

    /** Each re-partnered shard's partner, as name (address). */
    Map<Integer, String> names() {
        Map<Integer, String> names = new LinkedHashMap<>();
        pairs.forEach((shard, ha) -> names.put(shard, ha.a0().name() + " (127.0.0.1:" + ha.a0().port() + ")"));
        return names;
    }

    /** Rows of {@code app.accounts} on each partner, once it applied what its shard wrote. */
    Map<Integer, Long> rows() {
        Map<Integer, Long> rows = new LinkedHashMap<>();
        pairs.forEach((shard, ha) -> {
            ha.awaitInSync(TIMEOUT);
            rows.put(shard, Long.parseLong(ha.a0().queryString("SELECT COUNT(*) FROM `app`.`accounts`")));
        });
        return rows;
    }

    private int side(int shard) {
        return shard < oldShards ? 0 : 1;
    }

    /** Stops the background work; the servers keep running (the sandbox's cleanup stops them). */
    @Override
    public void close() {
        pool.shutdownNow();
    }
}
