package dev.mitosis.ops.demo;

import dev.mitosis.connectors.routing.RouteLease;
import dev.mitosis.connectors.routing.ShardDataSources;
import dev.mitosis.connectors.routing.ShardRouter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The service layer of the demo: threads that read and write {@code app.accounts} by uid through a
 * {@link ShardRouter}, every statement under {@code router.lease(uid)} on the pool of the route it got, at a paced
 * rate. It follows the flip without stopping. Each thread owns its own uids (so the order of writes to a uid is
 * the thread's order), records every acknowledged write in the {@link Ledger}, and counts every error: an exception,
 * or a write that did not affect exactly the one row it had to.
 */
final class LoadGenerator implements AutoCloseable {

    /** Uids the generator creates start here, far from the sample rows; every other one is negative. */
    static final long UID_BASE = 1_000_000_000L;
    private static final int ERROR_SAMPLES = 10;
    private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(30);

    /** What the generator did so far. */
    record Totals(long reads, long inserts, long updates, long deletes, long errors, long staleReads,
                  double seconds, double opsPerSecond, long epochsSeen, List<String> errorSamples) {
        long writes() {
            return inserts + updates + deletes;
        }
    }

    private final ShardRouter router;
    private final ShardDataSources pools;
    private final List<Long> sampleUids;
    private final int threads;
    private final double opsPerSecond;
    private final int readPercent;
    private final long seed;
    private final Ledger ledger = new Ledger();
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicLong reads = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong staleReads = new AtomicLong();
    private final AtomicLong maxEpoch = new AtomicLong();
    private final List<String> errorSamples = new CopyOnWriteArrayList<>();
    private final List<Thread> workers = new ArrayList<>();
    private volatile long startNanos;
    private volatile long stopNanos;

    /** @param writePercent the share of writes among the operations, 1..100; the rest are reads */
    LoadGenerator(ShardRouter router, ShardDataSources pools, List<Long> sampleUids, int threads, double opsPerSecond,
                  int writePercent, long seed) {
        if (sampleUids.isEmpty()) {
            throw new IllegalArgumentException("the load generator needs sample uids to read");
        }
        if (writePercent < 1 || writePercent > 100) {
            throw new IllegalArgumentException("write share " + writePercent + " % is out of range, expected 1..100");
        }
        this.readPercent = 100 - writePercent;
        this.router = router;
        this.pools = pools;
        this.sampleUids = List.copyOf(sampleUids);
        this.threads = threads;
        this.opsPerSecond = opsPerSecond;
        this.seed = seed;
    }

    void start() {
        if (!running.compareAndSet(false, true)) {
            throw new IllegalStateException("the load generator already runs");
        }
        startNanos = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            int index = t;
            Thread worker = new Thread(() -> work(index), "demo-load-" + t);
            worker.setDaemon(true);
            workers.add(worker);
            worker.start();
        }
    }

    /** Stops every thread after its statement under way; idempotent. */
    @Override
    public void close() {
        if (running.compareAndSet(true, false)) {
            stopNanos = System.nanoTime();
            for (Thread worker : workers) {
                try {
                    worker.join(JOIN_TIMEOUT.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    Ledger ledger() {
        return ledger;
    }

    Totals totals() {
        long end = running.get() || stopNanos == 0 ? System.nanoTime() : stopNanos;
        double seconds = startNanos == 0 ? 0 : (end - startNanos) / 1e9;
        long ops = reads.get() + ledger.writes() + errors.get();
        return new Totals(reads.get(), ledger.inserts(), ledger.updates(), ledger.deletes(), errors.get(),
                staleReads.get(), seconds, seconds == 0 ? 0 : ops / seconds, maxEpoch.get(),
                List.copyOf(errorSamples));
    }

    private void work(int thread) {
        Random random = new Random(seed * 1_000_003L + thread);
        List<Long> live = new ArrayList<>();
        List<Long> versions = new ArrayList<>();
        long created = 0;
        long interval = (long) (1e9 * threads / opsPerSecond);
        long next = System.nanoTime();
        while (running.get()) {
            next += interval;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait); // pacing to the target rate, not waiting for a condition
            } else if (wait < -1_000_000_000L) {
                next = System.nanoTime(); // fell behind by over a second: no burst to catch up
            }
            int dice = random.nextInt(100);
            // Writes split 40 % inserts, 40 % updates, 20 % deletes, so the thread's rows grow.
            int write = dice < readPercent ? -1 : (dice - readPercent) * 100 / (100 - readPercent);
            if (write < 0) {
                read(random, live, versions);
            } else if (write < 40 || live.isEmpty()) {
                long k = created++ * threads + thread;
                long uid = (k % 2 == 0 ? 1 : -1) * (UID_BASE + k);
                if (write(uid, "INSERT INTO `app`.`accounts` (`uid`, `email`, `score`, `created_at`)"
                        + " VALUES (?, ?, 1, NOW(6))", ps -> {
                            ps.setLong(1, uid);
                            ps.setString(2, "load" + uid + "@example.org");
                        })) {
                    ledger.inserted(uid);
                    live.add(uid);
                    versions.add(1L);
                }
            } else if (write < 80) {
                int i = random.nextInt(live.size());
                long uid = live.get(i);
                long version = versions.get(i) + 1;
                if (write(uid, "UPDATE `app`.`accounts` SET `score` = ?, `display_name` = ? WHERE `uid` = ?", ps -> {
                    ps.setLong(1, version);
                    ps.setString(2, "v" + version);
                    ps.setLong(3, uid);
                })) {
                    ledger.updated(uid, version);
                    versions.set(i, version);
                } else {
                    forget(live, versions, i);
                }
            } else {
                int i = random.nextInt(live.size());
                long uid = live.get(i);
                if (write(uid, "DELETE FROM `app`.`accounts` WHERE `uid` = ?", ps -> ps.setLong(1, uid))) {
                    ledger.deleted(uid);
                }
                forget(live, versions, i);
            }
        }
    }

    private static void forget(List<Long> live, List<Long> versions, int i) {
        Collections.swap(live, i, live.size() - 1);
        Collections.swap(versions, i, versions.size() - 1);
        live.remove(live.size() - 1);
        versions.remove(versions.size() - 1);
    }

    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    /** One write under a lease; true if it affected exactly one row. Anything else is an error, the uid uncertain. */
    private boolean write(long uid, String sql, Binder binder) {
        try (RouteLease lease = router.lease(uid);
             Connection c = pools.of(lease.route()).getConnection();
             PreparedStatement ps = c.prepareStatement(sql)) {
            maxEpoch.accumulateAndGet(lease.route().epoch(), Math::max);
            binder.bind(ps);
            int affected = ps.executeUpdate();
            if (affected == 1) {
                return true;
            }
            error(uid, "affected " + affected + " rows on shard " + lease.route().shard() + " ("
                    + lease.route().endpoint().server() + "): " + sql.substring(0, sql.indexOf(' ')));
        } catch (SQLException | RuntimeException e) {
            error(uid, e.getMessage());
        }
        ledger.uncertain(uid);
        return false;
    }

    /** A sample row must exist; one of the thread's own rows must hold the version the thread last wrote. */
    private void read(Random random, List<Long> live, List<Long> versions) {
        boolean own = !live.isEmpty() && random.nextBoolean();
        int i = own ? random.nextInt(live.size()) : -1;
        long uid = own ? live.get(i) : sampleUids.get(random.nextInt(sampleUids.size()));
        try (RouteLease lease = router.lease(uid);
             Connection c = pools.of(lease.route()).getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT `score` FROM `app`.`accounts` WHERE `uid` = ?")) {
            ps.setLong(1, uid);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    error(uid, "read found no row on shard " + lease.route().shard() + " ("
                            + lease.route().endpoint().server() + ")");
                    return;
                }
                if (own && rs.getLong(1) != versions.get(i)) {
                    staleReads.incrementAndGet();
                }
            }
            reads.incrementAndGet();
        } catch (SQLException | RuntimeException e) {
            error(uid, e.getMessage());
        }
    }

    private void error(long uid, String message) {
        errors.incrementAndGet();
        if (errorSamples.size() < ERROR_SAMPLES) {
            errorSamples.add("uid " + uid + ": " + message);
        }
    }
}
