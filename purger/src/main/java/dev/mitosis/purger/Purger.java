package dev.mitosis.purger;

import dev.mitosis.connectors.time.Sleeper;

import dev.mitosis.connectors.shard.ResiduePredicates;
import dev.mitosis.connectors.sql.SqlFragment;
import dev.mitosis.connectors.topology.TableRule;
import dev.mitosis.connectors.work.KeySpan;
import dev.mitosis.purger.internal.ArchiveWaiter;
import dev.mitosis.purger.internal.Checkpoint;
import dev.mitosis.purger.internal.CaptureLagProbe;
import dev.mitosis.purger.internal.ChunkDeleter;
import dev.mitosis.purger.internal.ChunkSizer;
import dev.mitosis.purger.internal.CheckpointStore;
import dev.mitosis.purger.internal.ControlFile;
import dev.mitosis.purger.internal.HeartbeatLagProbe;
import dev.mitosis.purger.internal.HeartbeatWriter;
import dev.mitosis.purger.internal.LagProbe;
import dev.mitosis.purger.internal.MitosisSchema;
import dev.mitosis.purger.internal.PrimaryKey;
import dev.mitosis.purger.internal.PurgeAbortedException;
import dev.mitosis.purger.internal.RatePacer;
import dev.mitosis.purger.internal.ResidueCounter;
import dev.mitosis.purger.internal.SeekSql;
import dev.mitosis.purger.internal.ServerPositionProbe;
import dev.mitosis.purger.internal.TableCatalog;
import dev.mitosis.purger.internal.TablePurge;
import dev.mitosis.purger.internal.Throttle;
import dev.mitosis.purger.internal.ThrottleObserver;
import dev.mitosis.purger.internal.ThreadsRunningProbe;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;

/**
 * Purges one new shard: deletes, table by table and chunk by chunk, every row of the residue its sibling keeps,
 * behind interlocks, throttled by replica lag, load and capture lag, checkpointed per chunk so a kill at any instant
 * resumes. At the end it waits, bounded, to see capture archive the last delete ({@link ArchiveCheck}).
 *
 * <p>Lifecycle {@code NEW → STARTING → RUNNING → DRAINING → STOPPED | FAILED}, moved by compare-and-set. One run
 * per instance. {@link #stop()} (from a signal handler) ends the run after the chunk in flight, which is
 * committed with its checkpoint.
 */
public final class Purger {

    /** The worker lifecycle. */
    public enum State { NEW, STARTING, RUNNING, DRAINING, STOPPED, FAILED }

    /** How often the interlocks are checked again during a run. */
    static final long INTERLOCK_RECHECK_MS = 5_000;

    private static final Logger LOG = LoggerFactory.getLogger(Purger.class);

    private final PurgeTarget target;
    private final PurgeSettings settings;
    private final List<String> schemas;
    private final BiFunction<String, String, TableRule> rules;
    private final List<String> onlyTables;
    private final Optional<PurgeRange> range;
    private final List<Interlock> interlocks;
    private final List<ReplicaEndpoint> replicas;
    private final PurgeListener listener;
    private final Optional<CaptureStatusSource> capture;
    private final Clock clock;
    private final Sleeper sleeper;
    private final AtomicReference<State> state = new AtomicReference<>(State.NEW);
    private final RatePacer pacer;
    private volatile boolean running = true;
    private volatile ThrottleObserver observer;

    private Purger(Builder b) {
        this.target = Objects.requireNonNull(b.target, "target");
        this.settings = b.settings;
        this.schemas = List.copyOf(b.schemas);
        this.rules = b.rules;
        this.onlyTables = List.copyOf(b.onlyTables);
        this.range = Optional.ofNullable(b.range);
        if (range.isPresent() && onlyTables.size() != 1) {
            throw new IllegalArgumentException("a purge of " + range.get() + " names exactly one table (only(...)),"
                    + " not " + onlyTables);
        }
        this.interlocks = List.copyOf(b.interlocks);
        this.replicas = List.copyOf(b.replicas);
        this.listener = b.listener;
        this.capture = Optional.ofNullable(b.capture);
        this.clock = b.clock;
        this.sleeper = b.sleeper;
        this.pacer = new RatePacer(clock, settings.maxRowsPerSecond());
    }

    /** A purger of {@code target}. */
    public static Builder builder(PurgeTarget target) {
        return new Builder(target);
    }

    /** Where the worker is in its lifecycle. */
    public State state() {
        return state.get();
    }

    /** The throttle's last decision (paused before the first sample). */
    public ThrottleDecision throttle() {
        ThrottleObserver o = observer;
        return o == null ? ThrottleDecision.pause("not started") : o.decision();
    }

    /** Asks the run to end after the chunk in flight; safe from any thread, idempotent. */
    public void stop() {
        running = false;
    }

    /** Checks every interlock now. */
    public List<InterlockResult> checkInterlocks() {
        List<InterlockResult> results = new ArrayList<>();
        for (Interlock interlock : interlocks) {
            InterlockResult result;
            try {
                result = interlock.check();
            } catch (RuntimeException e) {
                result = InterlockResult.refused(interlock.name(), "cannot check: " + e.getMessage());
            }
            results.add(result);
        }
        return results;
    }

    private List<InterlockResult> checkInterlocksDuringRun() {
        List<InterlockResult> results = new ArrayList<>();
        for (Interlock interlock : interlocks) {
            InterlockResult result;
            try {
                result = interlock.checkDuringRun();
            } catch (RuntimeException e) {
                result = InterlockResult.refused(interlock.name(), "cannot check: " + e.getMessage());
            }
            results.add(result);
        }
        return results;
    }

    /**
     * The plan: every in-scope table with a shard-key column, what is deleted and what kept.
     *
     * @param exactCounts whether to count every table exactly (a full scan each), as a dry run does
     * @throws IllegalArgumentException when a table named by {@code onlyTables} is not a purgeable table
     */
    public PurgePlan plan(boolean exactCounts) throws SQLException {
        try (Connection c = target.sessions().open()) {
            return plan(c, exactCounts, new LinkedHashMap<>());
        }
    }

    private PurgePlan plan(Connection c, boolean exactCounts, Map<String, PrimaryKey> keys) throws SQLException {
        List<TableCatalog.Entry> entries = TableCatalog.scan(c, schemas, rules, onlyTables);
        for (String wanted : onlyTables) {
            if (entries.stream().noneMatch(e -> e.plan().qualifiedName().equals(wanted))) {
                throw new IllegalArgumentException("table " + wanted + " is not purgeable on " + target.serverName()
                        + ": not found in the schemas in scope " + schemas + ", broadcast, or without its shard-key"
                        + " column");
            }
        }
        List<TablePlan> tables = new ArrayList<>();
        for (TableCatalog.Entry entry : entries) {
            TablePlan table = entry.plan();
            entry.key().ifPresent(k -> keys.put(table.qualifiedName(), k));
            tables.add(exactCounts ? table.withCounts(count(c, table)) : table);
        }
        return new PurgePlan(target.newShard(), target.serverName(), target.purgedResidue(), target.keptResidue(),
                target.shardMap().newShards(), tables);
    }

    private ResidueCounts count(Connection c, TablePlan table) throws SQLException {
        ResiduePredicates predicates = new ResiduePredicates(target.shardMap());
        return ResidueCounter.count(c, table.schema(), table.table(), table.shardKey(),
                predicates.purgeableOn(table.shardKey(), target.oldShard(), target.role()),
                predicates.ownedByNewShard(table.shardKey(), target.newShard()));
    }

    /** Runs the purge once: interlocks, plan, tables in turn. Never throws for an expected end; see the outcome. */
    public PurgeReport run() {
        if (!state.compareAndSet(State.NEW, State.STARTING)) {
            throw new IllegalStateException("a purger runs once; it is " + state.get());
        }
        long startMs = clock.millis();
        List<InterlockResult> checked = checkInterlocks();
        List<InterlockResult> refused = checked.stream().filter(r -> !r.holds()).toList();
        if (!refused.isEmpty()) {
            state.set(State.STOPPED);
            String reason = "refused: " + String.join("; ", refused.stream().map(InterlockResult::toString).toList());
            LOG.warn("event=purge_refused shard={} reason=\"{}\"", target.newShard(), reason);
            return new PurgeReport(PurgeReport.Outcome.REFUSED, reason, checked, null, List.of(), 0, 0,
                    ArchiveCheck.notArchived("", "refused: nothing deleted"));
        }
        Run run = new Run(startMs, checked);
        PurgeReport report = run.execute();
        return report.withArchive(archiveCheck());
    }

    /** After the run's last delete committed: has capture archived it? Only a status seen covering it says yes. */
    private ArchiveCheck archiveCheck() {
        if (capture.isEmpty()) {
            return ArchiveCheck.notArchived("", "no capture status was given to this purge");
        }
        ArchiveCheck check = new ArchiveWaiter(target.serverName(), target.sessions(), capture.get(), clock, sleeper)
                .await(java.time.Duration.ofMillis(settings.archiveWaitMs()));
        LOG.info("event=purge_archive shard={} archived={} position={} reason=\"{}\"", target.newShard(),
                check.archived(), check.position(), check.reason());
        return check;
    }

    /** One run's moving parts, closed in order when it ends. */
    private final class Run {
        private final long startMs;
        private final List<InterlockResult> checked;
        private final AtomicLong deleted = new AtomicLong();
        private final List<TableResult> results = new ArrayList<>();
        private long lastInterlockCheckMs;
        private PurgePlan plan;

        Run(long startMs, List<InterlockResult> checked) {
            this.startMs = startMs;
            this.checked = new ArrayList<>(checked);
            this.lastInterlockCheckMs = startMs;
        }

        PurgeReport execute() {
            HeartbeatWriter heartbeat = new HeartbeatWriter(target.sessions(), target.serverName(), clock);
            ThreadsRunningProbe load = new ThreadsRunningProbe(target.sessions());
            ServerPositionProbe positions = new ServerPositionProbe(target.sessions());
            List<HeartbeatLagProbe> probes = new ArrayList<>();
            ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "purge-throttle-" + target.newShard());
                t.setDaemon(true);
                return t;
            });
            try {
                Map<String, PrimaryKey> keys = new LinkedHashMap<>();
                try (Connection c = target.sessions().open()) {
                    MitosisSchema.ensure(c);
                    plan = plan(c, false, keys);
                }
                listener.planned(plan);
                for (ReplicaEndpoint replica : replicas) {
                    probes.add(new HeartbeatLagProbe(replica.name(), replica.sessions(), heartbeat));
                }
                observer = new ThrottleObserver(settings, List.<LagProbe>copyOf(probes), load, heartbeat::ageMs,
                        settings.pauseFile().map(ControlFile::new),
                        capture.map(source -> new CaptureLagProbe(target.serverName(), source, positions::position,
                                settings.captureStatusMaxAge(), settings.maxCaptureLag(), clock)),
                        pacer, listener, clock);
                ThrottleObserver sampling = observer;
                scheduler.scheduleWithFixedDelay(() -> {
                    heartbeat.beat();
                    sampling.sample();
                }, 0, HeartbeatWriter.INTERVAL_MS, TimeUnit.MILLISECONDS);
                Throttle throttle = new Throttle(sampling, pacer, sleeper);
                state.set(State.RUNNING);
                LOG.info("event=purge_started shard={} server={} purged_residue={} modulus={} tables={} range=\"{}\"",
                        target.newShard(), target.serverName(), plan.purgedResidue(), plan.modulus(),
                        plan.tables().size(), range.map(Object::toString).orElse("whole table"));
                for (TablePlan table : plan.tables()) {
                    if (!table.purged()) {
                        continue;
                    }
                    TablePurge.Result result = purgeTable(table, keys.get(table.qualifiedName()), throttle);
                    Optional<ResidueCounts> remaining = Optional.empty();
                    // A range's end leaves the rest of the table to other ranges: no count of the whole table.
                    if (result.finished() && range.isEmpty()) {
                        try (Connection c = target.sessions().open()) {
                            remaining = Optional.of(count(c, table));
                        }
                    }
                    results.add(new TableResult(table.qualifiedName(), result.rowsDeleted(),
                            result.checkpoint().rowsDeleted(), Optional.ofNullable(result.resumedFrom()),
                            result.finished(), remaining));
                    if (!result.finished()) {
                        return end(PurgeReport.Outcome.INTERRUPTED, "stopped on request after the last checkpoint");
                    }
                }
                if (!running) {
                    return end(PurgeReport.Outcome.INTERRUPTED, "stopped on request after the last checkpoint");
                }
                return end(PurgeReport.Outcome.DONE, "every planned table purged");
            } catch (PurgeAbortedException e) {
                return end(PurgeReport.Outcome.ABORTED, e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return end(PurgeReport.Outcome.INTERRUPTED, "interrupted after the last checkpoint");
            } catch (SQLException | RuntimeException e) {
                state.set(State.FAILED);
                LOG.error("event=purge_failed shard={} error=\"{}\"", target.newShard(), e.toString());
                return report(PurgeReport.Outcome.FAILED, "failed: " + e.getMessage());
            } finally {
                if (state.get() != State.FAILED) {
                    state.set(State.DRAINING);
                }
                scheduler.shutdownNow();
                try {
                    scheduler.awaitTermination(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                heartbeat.close();
                load.close();
                positions.close();
                probes.forEach(HeartbeatLagProbe::close);
                state.compareAndSet(State.DRAINING, State.STOPPED);
            }
        }

        private TablePurge.Result purgeTable(TablePlan table, PrimaryKey key, Throttle throttle)
                throws SQLException, InterruptedException, PurgeAbortedException {
            ResiduePredicates predicates = new ResiduePredicates(target.shardMap());
            SqlFragment residue = predicates.purgeableOn(table.shardKey(), target.oldShard(), target.role());
            Optional<KeySpan> span = range.flatMap(PurgeRange::span);
            Optional<List<Object>> upper = span.flatMap(KeySpan::upperInclusive).map(key::fromSplitText);
            SeekSql sql = new SeekSql(table.schema(), table.table(), key, residue, target.newShard(), upper);
            CheckpointStore checkpoints = range.isEmpty()
                    ? new CheckpointStore(target.newShard(), table.schema(), table.table(), key)
                    : CheckpointStore.ofRange(target.newShard(), table.schema(), table.table(), key,
                            range.get().index(), range.get().parts(),
                            span.flatMap(KeySpan::lowerExclusive).map(key::fromSplitText).orElse(null));
            TablePurge.Result result = range.isPresent() && span.isEmpty() ? emptyRange(checkpoints)
                    : tablePurge(table, key, sql, checkpoints, throttle);
            if (result.finished() && range.isPresent()) {
                try (Connection c = target.sessions().open()) {
                    c.setAutoCommit(false);
                    boolean tableDone = checkpoints.rollUp(c);
                    LOG.info("event=purge_range_done shard={} table={} range=\"{}\" table_done={}", target.newShard(),
                            table.qualifiedName(), range.get(), tableDone);
                }
            }
            return result;
        }

        /** A range past the table's last key at the cut holds no key: done at once, so its table can be. */
        private TablePurge.Result emptyRange(CheckpointStore checkpoints) throws SQLException {
            try (Connection c = target.sessions().open()) {
                c.setAutoCommit(false);
                Checkpoint at = checkpoints.load(c);
                if (!at.done()) {
                    at = new Checkpoint(at.lastKey(), at.rowsDeleted(), at.chunks(), true);
                    checkpoints.save(c, at);
                }
                c.commit();
                return new TablePurge.Result(at, 0, null, true);
            }
        }

        private TablePurge.Result tablePurge(TablePlan table, PrimaryKey key, SeekSql sql, CheckpointStore checkpoints,
                                             Throttle throttle)
                throws SQLException, InterruptedException, PurgeAbortedException {
            TablePurge purge = new TablePurge(table, key, new ChunkDeleter(sql, key, checkpoints), checkpoints,
                    new ChunkSizer(settings.chunkTargetMs(), settings.chunkInitialRows(), settings.chunkMaxRows()),
                    throttle, pacer, target.sessions(), clock, sleeper, listener, this::recheckInterlocks);
            return purge.run(() -> running, new TablePurge.RunTotals() {
                @Override
                public long add(long rows) {
                    return deleted.addAndGet(rows);
                }

                @Override
                public double rowsPerSecond() {
                    long ms = Math.max(1, clock.millis() - startMs);
                    return deleted.get() * 1000.0 / ms;
                }

                @Override
                public long estimatedRows() {
                    return plan.estimatedRows();
                }
            });
        }

        private void recheckInterlocks() throws PurgeAbortedException {
            long now = clock.millis();
            if (now - lastInterlockCheckMs < INTERLOCK_RECHECK_MS) {
                return;
            }
            lastInterlockCheckMs = now;
            for (InterlockResult result : checkInterlocksDuringRun()) {
                if (!result.holds()) {
                    checked.add(result);
                    throw new PurgeAbortedException("interlock no longer holds: " + result);
                }
            }
        }

        private PurgeReport end(PurgeReport.Outcome outcome, String reason) {
            LOG.info("event=purge_ended shard={} outcome={} rows_deleted={} reason=\"{}\"", target.newShard(), outcome,
                    deleted.get(), reason);
            return report(outcome, reason);
        }

        private PurgeReport report(PurgeReport.Outcome outcome, String reason) {
            return new PurgeReport(outcome, reason, checked, plan, results, deleted.get(), clock.millis() - startMs,
                    ArchiveCheck.notArchived("", "not checked yet"));
        }
    }

    /** Builds a {@link Purger}; everything but the target has a default. */
    public static final class Builder {
        private final PurgeTarget target;
        private PurgeSettings settings = PurgeSettings.defaults();
        private List<String> schemas = List.of();
        private BiFunction<String, String, TableRule> rules =
                (schema, table) -> TableRule.sharded(schema, table, TableRule.DEFAULT_SHARD_KEY);
        private List<String> onlyTables = List.of();
        private PurgeRange range;
        private List<Interlock> interlocks = List.of();
        private List<ReplicaEndpoint> replicas = List.of();
        private PurgeListener listener = PurgeListener.NONE;
        private CaptureStatusSource capture;
        private Clock clock = Clock.systemUTC();
        private Sleeper sleeper = Sleeper.SYSTEM;

        private Builder(PurgeTarget target) {
            this.target = target;
        }

        /** How gently to run. */
        public Builder settings(PurgeSettings value) {
            this.settings = Objects.requireNonNull(value);
            return this;
        }

        /** The schemas in scope and the table rules ({@code MitosisConfig::tableRule}). */
        public Builder tables(List<String> inScope, BiFunction<String, String, TableRule> tableRules) {
            this.schemas = List.copyOf(inScope);
            this.rules = Objects.requireNonNull(tableRules);
            return this;
        }

        /** Limits the purge to these {@code schema.table} names; empty for every table in scope. */
        public Builder only(List<String> tables) {
            this.onlyTables = List.copyOf(tables);
            return this;
        }

        /**
         * Limits the purge of the one table named by {@link #only} to one key range of it, with its own checkpoint;
         * without, the whole table.
         */
        public Builder range(PurgeRange value) {
            this.range = Objects.requireNonNull(value);
            return this;
        }

        /** The interlocks; every one must hold to start and to go on. */
        public Builder interlocks(List<Interlock> value) {
            this.interlocks = List.copyOf(value);
            return this;
        }

        /** The servers replicating from the target, whose lag the throttle watches. */
        public Builder replicas(List<ReplicaEndpoint> value) {
            this.replicas = List.copyOf(value);
            return this;
        }

        /** Who hears about progress. */
        public Builder listener(PurgeListener value) {
            this.listener = Objects.requireNonNull(value);
            return this;
        }

        /**
         * Capture's status of the target server: the throttle pauses while capture lags or cannot be told, and the
         * end of a run waits to see it archive the last delete. Without it neither happens and no run is reported
         * archived.
         */
        public Builder capture(CaptureStatusSource value) {
            this.capture = Objects.requireNonNull(value);
            return this;
        }

        /** The clock (tests inject one). */
        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value);
            return this;
        }

        /** The sleeper (tests inject one). */
        public Builder sleeper(Sleeper value) {
            this.sleeper = Objects.requireNonNull(value);
            return this;
        }

        public Purger build() {
            return new Purger(this);
        }
    }
}
