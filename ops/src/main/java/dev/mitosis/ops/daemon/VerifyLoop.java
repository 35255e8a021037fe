package dev.mitosis.ops.daemon;

import dev.mitosis.connectors.kafka.KafkaClients;
import dev.mitosis.connectors.work.KeySplit;
import dev.mitosis.connectors.work.KeySplitStore;
import dev.mitosis.connectors.work.WorkGroup;
import dev.mitosis.connectors.work.WorkUnits;
import dev.mitosis.connectors.time.Sleeper;
import dev.mitosis.connectors.topology.MitosisConfig;
import dev.mitosis.connectors.topology.Pair;
import dev.mitosis.verifier.ChangedRows;
import dev.mitosis.verifier.ContinuousVerifier;
import dev.mitosis.verifier.KafkaChangedRows;
import dev.mitosis.verifier.KafkaTableVerdicts;
import dev.mitosis.verifier.PairReport;
import dev.mitosis.verifier.PairVerifier;
import dev.mitosis.verifier.ReportFiles;
import dev.mitosis.verifier.TableRange;
import dev.mitosis.verifier.TableReport;
import dev.mitosis.verifier.VerdictStore;
import dev.mitosis.verifier.VerifyListener;
import dev.mitosis.verifier.VerifySettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

/**
 * Verifies one pair continuously, as {@code mitosis verify} without {@code --once} does ({@link ContinuousVerifier}):
 * a full pass with its checkpoint and reports in the daemon's state dir, then, while capture runs, refreshes of a
 * PASS from the change stream, so the stored verdict stays seconds old and a difference among the changed rows turns
 * it FAIL at once; a new full pass every {@code daemon.verify.interval.ms}. Every verdict is stored for the gate.
 * Stopped, it ends after the chunk or refresh under way with a full pass's checkpoint kept.
 *
 * <p>With a work group ({@code daemon.work.group}) the pair's tables are divided among the daemons that verify it:
 * they join the consumer group {@code <group>.verify.pair-<n>} (only daemons verifying the pair, whatever else they
 * do), each verifies the tables whose unit ({@link WorkUnits#verifyUnit}) it owns and stores their verdicts per table
 * in {@link KafkaTableVerdicts}; the owner of the pair's merge unit merges them into the verdict the gate reads
 * ({@link VerdictMerger}). When the tables it owns change, the loop stops its verifier (before the group hands them
 * over) and starts one over the new list.
 *
 * <p>With {@code daemon.work.ranges.per.table} above 1 the unit is a key range of a table
 * ({@link WorkUnits#rangeUnit}), so one big table is shared too: the owner of a table's range 0 cuts the table on A
 * ({@link PairVerifier#split}) and stores the cut in {@link KeySplitStore} if none is stored; the owners of its other
 * ranges wait for that cut (shown as {@code rangesWaitingForCut} in the status, read again every few seconds). Each
 * range's verdict is stored as a part of its own, and the merger merges ranges into tables and tables into the pair.
 */
final class VerifyLoop implements WorkGroup.Listener {

    /** How long a starting loop waits for capture's stream before its first full pass (without it, no refreshes). */
    private static final Duration STREAM_WAIT = Duration.ofSeconds(60);
    private static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration HANDOVER_TIMEOUT = Duration.ofSeconds(30);
    /** Between two tries to read the pair's tables when a server could not be reached. */
    private static final Duration SCOPE_RETRY = Duration.ofSeconds(5);
    /** Between two reads of a table's cut that the owner of its range 0 has not stored yet. */
    private static final Duration CUT_RETRY = Duration.ofSeconds(2);
    /** Waiting this long for a cut is shown as a warning: the owner of range 0 may be failing to make it. */
    private static final Duration CUT_WAIT_WARN = Duration.ofSeconds(60);
    private static final String REFRESH_NOTE = "refreshed from";
    private static final Logger LOG = LoggerFactory.getLogger(VerifyLoop.class);

    private final Pair pair;
    private final MitosisConfig config;
    private final Path dir;
    private final ContinuousVerifier.Schedule schedule;
    private final VerdictStore store;
    private final Clock clock;
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final AtomicReference<ContinuousVerifier> current = new AtomicReference<>();
    private final AtomicReference<PairReport> last = new AtomicReference<>();
    private final AtomicReference<String> state = new AtomicReference<>("NEW");
    private final AtomicLong passes = new AtomicLong();
    private final AtomicLong refreshes = new AtomicLong();
    private final AtomicLong tablesDone = new AtomicLong();
    private volatile String currentTable = "";
    private volatile String lastError = "";
    private volatile String streamAtStart = "not read yet";
    /** The last time the verifier held back its reads, and why: the reason string of {@code ReadPacer}. */
    private volatile Map<String, Object> lastPacing = Map.of();
    private final Thread thread;
    private final Optional<String> workGroup;
    private final int workPartitions;
    private final int rangesPerTable;
    private final String member;
    private final Object ownership = new Object();
    private long ownershipChanges;
    private volatile WorkGroup group;
    private volatile List<String> tablesOwned = List.of();
    private volatile List<String> scope = List.of();
    private volatile List<String> waitingForCut = List.of();
    private volatile long waitingSinceNanos;
    private KeySplitStore cuts;
    private boolean cutsTopicReady;
    private KafkaTableVerdicts parts;
    private VerdictMerger merger;

    /**
     * @param workGroup      the daemon's work group, dividing the pair's tables; empty to verify all of them here
     * @param rangesPerTable the key ranges each table is cut into with a work group (1: whole tables)
     */
    VerifyLoop(Pair pair, MitosisConfig config, Path dir, ContinuousVerifier.Schedule schedule, VerdictStore store,
               Clock clock, Optional<String> workGroup, int workPartitions, int rangesPerTable, String member) {
        this.pair = pair;
        this.config = config;
        this.dir = dir;
        this.schedule = schedule;
        this.store = store;
        this.clock = clock;
        this.workGroup = workGroup;
        this.workPartitions = workPartitions;
        this.rangesPerTable = rangesPerTable;
        this.member = member;
        this.thread = new Thread(this::run, "verify-pair-" + pair.number());
        this.thread.setDaemon(true);
    }

    int pair() {
        return pair.number();
    }

    void start() {
        state.set("RUNNING");
        if (workGroup.isPresent()) {
            parts = new KafkaTableVerdicts(config.kafka());
            cuts = new KeySplitStore(new KafkaClients(config.kafka()), KAFKA_TIMEOUT);
            merger = new VerdictMerger(pair, config, parts, cuts, rangesPerTable, store, dir.resolve("merged"));
            group = WorkGroup.join(new KafkaClients(config.kafka()), groupOf(workGroup.get(), pair.number()),
                    workPartitions, member, this);
            merger.start(group);
        }
        thread.start();
    }

    /** The consumer group dividing this pair's tables: one per pair, joined only by daemons that verify it. */
    static String groupOf(String workGroup, int pair) {
        return workGroup + ".verify.pair-" + pair;
    }

    /** The newest verdict this loop reached (full pass or refresh), if any. */
    Optional<PairReport> last() {
        return Optional.ofNullable(last.get());
    }

    private void run() {
        VerifySettings settings = VerifySettings.from(config);
        try (ChangedRows changes = new KafkaChangedRows(pair, new KafkaClients(config.kafka()), settings.recheckWait(),
                KAFKA_TIMEOUT, clock)) {
            awaitStream(changes);
            if (stopRequested.getCount() == 0) {
                state.set("STOPPED");
                return;
            }
            if (group != null) {
                runDivided(settings, changes);
                state.set("STOPPED");
                return;
            }
            ContinuousVerifier verifier = new ContinuousVerifier(pair, config.schemas(), settings, changes, schedule,
                    new PairVerifier.Request(List.of(), Optional.of(dir), listener(), d -> { }), this::verdict,
                    clock, Sleeper.SYSTEM);
            current.set(verifier);
            if (stopRequested.getCount() > 0) {
                try {
                    verifier.run();
                } catch (IllegalStateException e) {
                    // stop() came between the check and run(): the verifier went NEW -> STOPPED, nothing ran
                    if (verifier.state() != ContinuousVerifier.State.STOPPED) {
                        throw e;
                    }
                }
            }
            state.set("STOPPED");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            state.set("STOPPED");
        } catch (RuntimeException e) {
            lastError = e.toString();
            state.set("FAILED");
            LOG.error("event=verify_failed pair={} error=\"{}\"", pair.number(), e.toString());
        } finally {
            currentTable = "";
        }
    }

    /**
     * Verifies the tables this daemon owns until stopped: a {@link ContinuousVerifier} over them, replaced when the
     * owned tables change (the group moved partitions, or the scope gained or lost a table — read again every
     * full-pass interval).
     */
    private void runDivided(VerifySettings settings, ChangedRows changes) throws InterruptedException {
        while (stopRequested.getCount() > 0) {
            long seen;
            synchronized (ownership) {
                seen = ownershipChanges;
            }
            List<TableRange> mine;
            try {
                scope = PairVerifier.tablesInScope(pair, config.schemas(), settings);
                mine = ownedRanges(scope, settings);
                lastError = "";
            } catch (SQLException | RuntimeException e) {
                lastError = "cannot read the pair's tables or their key ranges: " + e.getMessage();
                LOG.warn("event=verify_scope_failed pair={} error=\"{}\" retry_ms={}", pair.number(), e.getMessage(),
                        SCOPE_RETRY.toMillis());
                stopRequested.await(SCOPE_RETRY.toMillis(), TimeUnit.MILLISECONDS);
                continue;
            }
            tablesOwned = mine.stream().map(TableRange::name).toList();
            ContinuousVerifier verifier = null;
            if (!mine.isEmpty()) {
                LOG.info("event=verify_tables pair={} tables={}", pair.number(), tablesOwned);
                verifier = new ContinuousVerifier(pair, config.schemas(), settings, changes, schedule,
                        new PairVerifier.Request(List.of(), Optional.of(dir), listener(), d -> { }).withRanges(mine),
                        this::verdict, clock, Sleeper.SYSTEM);
                current.set(verifier);
                verifier.start();
            }
            try {
                awaitChange(seen, tablesOwned, settings);
            } finally {
                if (verifier != null) {
                    verifier.stop();
                    verifier.awaitEnd(HANDOVER_TIMEOUT);
                    current.set(null);
                }
            }
        }
    }

    /**
     * The tables, or key ranges of tables, whose units this daemon owns. A table's cut is made by the owner of its
     * range 0 when none is stored (or one for another number of ranges); a range whose cut is not stored yet is
     * left out and named in {@link #waitingForCut}, and read again after {@link #CUT_RETRY}.
     */
    private List<TableRange> ownedRanges(List<String> tables, VerifySettings settings) throws SQLException {
        List<TableRange> mine = new ArrayList<>();
        List<String> waiting = new ArrayList<>();
        int n = rangesPerTable;
        if (n > 1 && !cutsTopicReady) {
            // Here, not at start: a broker that is briefly away makes this retry, not the daemon fail to start.
            cuts.ensureExists();
            cutsTopicReady = true;
        }
        for (String table : tables) {
            String tableUnit = WorkUnits.verifyUnit(pair.number(), table);
            List<Integer> owned = IntStream.range(0, n).filter(i -> group.owns(WorkUnits.rangeUnit(tableUnit, i, n)))
                    .boxed().toList();
            if (owned.isEmpty()) {
                continue;
            }
            if (n == 1) {
                mine.add(TableRange.whole(table));
                continue;
            }
            Optional<KeySplit> cut = cuts.read(tableUnit, n);
            if (cut.isEmpty() && owned.contains(0)) {
                KeySplit made = PairVerifier.split(pair, settings, table, n);
                cuts.publish(tableUnit, made);
                LOG.info("event=verify_table_cut pair={} table={} ranges={} boundaries={} server={}", pair.number(),
                        table, n, made.boundaries(), made.server());
                // Read back: if another daemon stored a cut first, that one is everybody's.
                cut = cuts.read(tableUnit, n);
            }
            if (cut.isEmpty()) {
                owned.forEach(i -> waiting.add(TableRange.name(table, i, n)));
                continue;
            }
            for (int i : owned) {
                int index = i;
                // A range past the table's last key when it was cut holds nothing: the range before is open above.
                cut.get().span(i).ifPresent(span -> mine.add(new TableRange(table, index, n, span)));
            }
        }
        if (waiting.isEmpty()) {
            waitingSinceNanos = 0;
        } else if (waitingSinceNanos == 0) {
            waitingSinceNanos = System.nanoTime();
        }
        waitingForCut = List.copyOf(waiting);
        return mine;
    }

    /** Returns when stopped, the owned tables changed, or the verifier ended by itself (it failed). */
    private void awaitChange(long seen, List<String> mine, VerifySettings settings) throws InterruptedException {
        long nextScopeRead = System.nanoTime() + schedule.fullPassInterval().toNanos();
        if (!waitingForCut.isEmpty()) {
            nextScopeRead = System.nanoTime() + CUT_RETRY.toNanos();
        }
        while (stopRequested.getCount() > 0) {
            synchronized (ownership) {
                if (ownershipChanges != seen) {
                    return;
                }
                ownership.wait(500);
            }
            ContinuousVerifier verifier = current.get();
            if (verifier != null && verifier.state() == ContinuousVerifier.State.FAILED) {
                lastError = "the verifier of " + mine + " failed; starting it again";
                return;
            }
            if (System.nanoTime() > nextScopeRead) {
                nextScopeRead = System.nanoTime() + schedule.fullPassInterval().toNanos();
                if (!waitingForCut.isEmpty()) {
                    return; // read the cuts again
                }
                try {
                    List<String> now = PairVerifier.tablesInScope(pair, config.schemas(), settings);
                    if (!now.equals(scope)) {
                        return;
                    }
                } catch (SQLException e) {
                    // The running verifier reports the unreachable server itself.
                }
            }
        }
    }

    @Override
    public void revoked(Set<Integer> partitions) {
        // The group cleared what this daemon owns before calling: stop verifying, wait (bounded), so the tables'
        // next owner never races a part this daemon still writes.
        ContinuousVerifier verifier = current.get();
        if (verifier != null) {
            verifier.stop();
            try {
                if (!verifier.awaitEnd(HANDOVER_TIMEOUT)) {
                    LOG.warn("event=verify_handover_slow pair={} timeout_ms={}", pair.number(),
                            HANDOVER_TIMEOUT.toMillis());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (merger != null) {
            merger.revoked();
        }
        signalOwnership();
    }

    @Override
    public void assigned(Set<Integer> partitions) {
        signalOwnership();
    }

    private void signalOwnership() {
        synchronized (ownership) {
            ownershipChanges++;
            ownership.notifyAll();
        }
    }

    /**
     * A full pass only refreshes afterwards if the stream could be followed when it started; capture started by the
     * same daemon needs a few seconds, so the first pass waits for it, bounded, and goes without it after that.
     */
    private void awaitStream(ChangedRows changes) throws InterruptedException {
        state.set("WAITING_FOR_CAPTURE");
        long deadline = System.nanoTime() + STREAM_WAIT.toNanos();
        Optional<String> why = changes.unavailable();
        while (why.isPresent() && System.nanoTime() < deadline) {
            streamAtStart = why.get();
            if (stopRequested.await(500, TimeUnit.MILLISECONDS)) {
                return;
            }
            why = changes.unavailable();
        }
        streamAtStart = why.orElse("available");
        if (why.isPresent()) {
            LOG.info("event=verify_without_stream pair={} reason=\"{}\" next=full passes only until it is available",
                    pair.number(), why.get());
        }
        state.set("RUNNING");
    }

    /** Every verdict, full pass or refresh: report files, the store for the gate, the status. */
    private void verdict(PairReport report) {
        boolean refresh = report.notes().stream().anyMatch(n -> n.startsWith(REFRESH_NOTE));
        PairReport before = last.getAndSet(report);
        (refresh ? refreshes : passes).incrementAndGet();
        if (!refresh) {
            currentTable = "";
            tablesDone.set(0);
        }
        ReportFiles.write(dir, report);
        try {
            if (group == null) {
                store.publish(report);
            } else {
                // Only parts of tables still owned: a table handed over meanwhile is its new owner's to report.
                parts.publish(owned(report));
            }
            lastError = "";
        } catch (RuntimeException e) {
            // The gate then reads an older verdict or none: UNKNOWN or stale, the safe side.
            lastError = "verdict not stored: " + e.getMessage();
            LOG.warn("event=verdict_not_stored pair={} error=\"{}\"", pair.number(), e.getMessage());
        }
        if (!refresh || before == null || before.verdict() != report.verdict()) {
            LOG.info("event=verify_verdict pair={} verdict={} from={} tables={} duration_ms={} reasons=\"{}\"",
                    pair.number(), report.verdict(), refresh ? "refresh" : "full-pass", report.tables().size(),
                    report.durationMs(), report.reasons());
        }
    }

    private PairReport owned(PairReport report) {
        List<TableReport> tables = report.tables().stream()
                .filter(t -> group.owns(WorkUnits.verifyUnit(pair.number(), t.table()))).toList();
        return new PairReport(report.pair(), report.verdict(), report.reasons(), report.serverA(), report.serverA0(),
                report.gtidA(), report.gtidA0(), report.startedAt(), report.finishedAt(), report.durationMs(),
                report.resumed(), PairReport.Totals.of(tables), tables, report.notes());
    }

    private VerifyListener listener() {
        return new VerifyListener() {
            @Override
            public void tableStarted(String table, long estimatedRows, long rowsDoneBefore) {
                currentTable = table;
                stopIfAsked();
            }

            @Override
            public void chunkDone(String table, long chunkRows, long tableRowsDone, long tableChunksDone,
                                  int nextChunkRows) {
                stopIfAsked();
            }

            @Override
            public void backingOff(String reason) {
                lastPacing = Map.of("reason", reason, "at", clock.instant().toString());
            }

            @Override
            public void tableDone(TableReport report) {
                tablesDone.incrementAndGet();
            }
        };
    }

    /**
     * A stop that came while a full pass was being created found it NEW, where {@link PairVerifier#stop()} does
     * nothing; the pass's own thread repeats it here, once the pass is RUNNING.
     */
    private void stopIfAsked() {
        ContinuousVerifier verifier = current.get();
        if (stopRequested.getCount() == 0 && verifier != null) {
            verifier.stop();
        }
    }

    /** Asks the work under way to end after its chunk or refresh; does not wait. */
    void stop() {
        stopRequested.countDown();
        if (merger != null) {
            merger.stop();
        }
        ContinuousVerifier verifier = current.get();
        if (verifier != null) {
            verifier.stop();
        }
    }

    /** Waits for the loop to end; whether it did within {@code timeout}. */
    boolean awaitStopped(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        thread.join(Math.max(1, timeout.toMillis()));
        boolean mergerStopped = merger == null
                || merger.awaitStopped(Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime())));
        return !thread.isAlive() && mergerStopped;
    }

    /** Leaves the pair's work group (its tables move to the other daemons at once) and closes the part store. */
    void leaveGroup() {
        if (group != null) {
            group.close();
        }
        if (parts != null) {
            parts.close();
        }
    }

    Map<String, Object> status() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("worker", "verify");
        s.put("pair", pair.number());
        s.put("state", state.get());
        s.put("mode", "continuous");
        s.put("fullPassIntervalMs", schedule.fullPassInterval().toMillis());
        s.put("refreshIntervalMs", schedule.refreshInterval().toMillis());
        s.put("passes", passes.get());
        s.put("refreshes", refreshes.get());
        s.put("changeStreamAtStart", streamAtStart);
        if (group != null) {
            s.put("workGroup", groupOf(workGroup.orElseThrow(), pair.number()));
            s.put("tablesInScope", scope);
            s.put("rangesPerTable", rangesPerTable);
            s.put("tablesOwned", tablesOwned);
            List<String> waiting = waitingForCut;
            if (!waiting.isEmpty()) {
                long waitedMs = (System.nanoTime() - waitingSinceNanos) / 1_000_000;
                s.put("rangesWaitingForCut", waiting);
                s.put("waitingForCutMs", waitedMs);
                if (waitedMs > CUT_WAIT_WARN.toMillis()) {
                    s.put("cutWarning", "no cut stored for " + waiting + " after " + waitedMs + " ms: check the daemon"
                            + " owning each table's range 0 (its /status error), or that every daemon of the group has"
                            + " the same daemon.work.ranges.per.table");
                }
            }
            s.put("merge", merger.status());
        }
        s.put("currentTable", currentTable);
        s.put("tablesDoneThisPass", tablesDone.get());
        if (!lastPacing.isEmpty()) {
            s.put("lastPacing", lastPacing);
        }
        PairReport report = last.get();
        if (report != null) {
            s.put("lastVerdict", report.verdict());
            s.put("lastFrom", report.notes().stream().anyMatch(n -> n.startsWith(REFRESH_NOTE)) ? "refresh"
                    : "full-pass");
            s.put("lastFinishedAt", report.finishedAt());
            s.put("lastGtidA", report.gtidA());
            s.put("lastGtidA0", report.gtidA0());
            s.put("lastReasons", report.reasons());
            s.put("coverage", report.totals());
            // The tables the newest verdict of this daemon covers: with a work group, the ones it verified.
            s.put("tablesVerified", report.tables().stream().map(TableReport::table).toList());
        }
        if (!lastError.isEmpty()) {
            s.put("error", lastError);
        }
        s.put("reportDir", dir.toAbsolutePath().toString());
        return s;
    }

    String state() {
        return state.get();
    }
}
