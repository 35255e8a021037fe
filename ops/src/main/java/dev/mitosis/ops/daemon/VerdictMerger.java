package dev.mitosis.ops.daemon;

import dev.mitosis.connectors.topology.MitosisConfig;
import dev.mitosis.connectors.topology.Pair;
import dev.mitosis.connectors.work.KeySplit;
import dev.mitosis.connectors.work.KeySplitStore;
import dev.mitosis.connectors.work.WorkGroup;
import dev.mitosis.connectors.work.WorkUnits;
import dev.mitosis.verifier.KafkaTableVerdicts;
import dev.mitosis.verifier.PairReport;
import dev.mitosis.verifier.PairVerifier;
import dev.mitosis.verifier.ReportFiles;
import dev.mitosis.verifier.ReportJson;
import dev.mitosis.verifier.TableRange;
import dev.mitosis.verifier.VerdictMerge;
import dev.mitosis.verifier.VerdictStore;
import dev.mitosis.verifier.VerifySettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Merges the per-table parts of a pair's verdict, verified apart by the daemons of a work group, into the pair's
 * stored verdict ({@link VerdictMerge}) — only while this daemon owns the pair's merge unit
 * ({@link WorkUnits#verifyMergeUnit}), so one daemon at a time stores the pair's verdict. A tick holds a lock that
 * {@link #revoked()} takes, so no merge is stored after the unit was handed over. With tables cut into key ranges
 * ({@code daemon.work.ranges.per.table} above 1) each table is merged from the parts of all its ranges, as its stored
 * cut names them ({@link KeySplitStore}); a table not cut yet, or with a range missing or older than
 * {@code verify.max.age}, is UNKNOWN.
 */
final class VerdictMerger {

    /** How often the parts are read; a part is merged at most this long after it was stored. */
    static final Duration TICK = Duration.ofSeconds(1);
    /** How often the scope is read again, so a table created since is required (UNKNOWN until verified). */
    private static final Duration SCOPE_TTL = Duration.ofSeconds(10);
    private static final Duration HANDOVER_TIMEOUT = Duration.ofSeconds(30);
    private static final Logger LOG = LoggerFactory.getLogger(VerdictMerger.class);

    private final Pair pair;
    private final MitosisConfig config;
    private final KafkaTableVerdicts parts;
    private final KeySplitStore cuts;
    private final int rangesPerTable;
    /** Cuts never change once stored: each is read until found, then kept. */
    private final Map<String, KeySplit> cutOf = new HashMap<>();
    private boolean cutsTopicReady;
    private final VerdictStore store;
    private final Path dir;
    private final String unit;
    private final ReentrantLock ticking = new ReentrantLock();
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final Thread thread;
    private volatile WorkGroup group;
    private KafkaTableVerdicts.Follower follower;
    private List<String> scope = List.of();
    private long scopeReadNanos;
    private String lastStored = "";
    private volatile PairReport lastMerged;
    private volatile long merges;
    private volatile String lastError = "";

    VerdictMerger(Pair pair, MitosisConfig config, KafkaTableVerdicts parts, KeySplitStore cuts, int rangesPerTable,
                  VerdictStore store, Path dir) {
        this.pair = pair;
        this.config = config;
        this.parts = parts;
        this.cuts = cuts;
        this.rangesPerTable = rangesPerTable;
        this.store = store;
        this.dir = dir;
        this.unit = WorkUnits.verifyMergeUnit(pair.number());
        this.thread = new Thread(this::run, "verify-merge-pair-" + pair.number());
        this.thread.setDaemon(true);
    }

    void start(WorkGroup group) {
        this.group = group;
        thread.start();
    }

    boolean merging() {
        WorkGroup g = group;
        return g != null && g.owns(unit);
    }

    private void run() {
        try {
            while (!stopRequested.await(TICK.toMillis(), TimeUnit.MILLISECONDS)) {
                ticking.lock();
                try {
                    tick();
                } finally {
                    ticking.unlock();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            ticking.lock();
            try {
                release();
            } finally {
                ticking.unlock();
            }
        }
    }

    private void tick() {
        if (!merging()) {
            release();
            return;
        }
        try {
            if (follower == null) {
                follower = parts.follow();
            }
            if (scope.isEmpty() || System.nanoTime() - scopeReadNanos > SCOPE_TTL.toNanos()) {
                scope = PairVerifier.tablesInScope(pair, config.schemas(), VerifySettings.from(config));
                scopeReadNanos = System.nanoTime();
            }
            VerifySettings settings = VerifySettings.from(config);
            PairReport merged = VerdictMerge.merge(pair.number(), entries(), follower.parts(pair.number()),
                    Instant.now().minus(settings.maxAge()));
            String json = ReportJson.compact(merged);
            if (!json.equals(lastStored)) {
                store.publish(merged);
                ReportFiles.write(dir, merged);
                if (lastMerged == null || lastMerged.verdict() != merged.verdict()) {
                    LOG.info("event=verify_merged pair={} verdict={} tables={} reasons=\"{}\"", pair.number(),
                            merged.verdict(), merged.tables().size(), merged.reasons());
                }
                lastStored = json;
                lastMerged = merged;
                merges++;
            }
            lastError = "";
        } catch (SQLException | RuntimeException e) {
            // Nothing stored: the gate reads the previous merge, which ages into stale — the safe side.
            lastError = e.getMessage();
            LOG.warn("event=verify_merge_failed pair={} error=\"{}\"", pair.number(), e.getMessage());
            release();
        }
    }

    /** Each table of the scope with the parts that make it up: itself, or its ranges once it is cut. */
    private Map<String, List<String>> entries() {
        Map<String, List<String>> entries = new LinkedHashMap<>();
        int n = rangesPerTable;
        for (String table : scope) {
            if (n == 1) {
                entries.put(table, List.of(table));
                continue;
            }
            String tableUnit = WorkUnits.verifyUnit(pair.number(), table);
            KeySplit cut = cutOf.get(tableUnit);
            if (cut == null && !cutsTopicReady) {
                cuts.ensureExists();
                cutsTopicReady = true;
            }
            if (cut == null) {
                cut = cuts.read(tableUnit, n).orElse(null);
                if (cut != null) {
                    cutOf.put(tableUnit, cut);
                }
            }
            List<String> names = new ArrayList<>();
            if (cut != null) {
                for (int i = 0; i < n; i++) {
                    if (cut.span(i).isPresent()) {
                        names.add(TableRange.name(table, i, n));
                    }
                }
            }
            entries.put(table, names);
        }
        return entries;
    }

    /** Forgets what a merger knows: the next owner, maybe this daemon again later, starts from the topic. */
    private void release() {
        if (follower != null) {
            follower.close();
            follower = null;
        }
        scope = List.of();
        cutOf.clear();
        lastStored = "";
    }

    /** Called when the group moves partitions: returns once no tick is under way (bounded). */
    void revoked() {
        try {
            if (ticking.tryLock(HANDOVER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                ticking.unlock();
            } else {
                LOG.warn("event=verify_merge_handover_slow pair={} timeout_ms={}", pair.number(),
                        HANDOVER_TIMEOUT.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void stop() {
        stopRequested.countDown();
    }

    boolean awaitStopped(Duration timeout) throws InterruptedException {
        if (!thread.isAlive()) {
            return true;
        }
        thread.join(Math.max(1, timeout.toMillis()));
        return !thread.isAlive();
    }

    Map<String, Object> status() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("merging", merging());
        s.put("merges", merges);
        PairReport m = lastMerged;
        if (m != null) {
            s.put("lastVerdict", m.verdict());
            s.put("lastFinishedAt", m.finishedAt());
            s.put("lastReasons", m.reasons());
        }
        if (!lastError.isEmpty()) {
            s.put("error", lastError);
        }
        return s;
    }
}
