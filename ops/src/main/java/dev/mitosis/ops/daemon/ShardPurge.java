package dev.mitosis.ops.daemon;

import dev.mitosis.connectors.kafka.KafkaClients;
import dev.mitosis.connectors.mariadb.ServerConnector;
import dev.mitosis.connectors.routing.RoutingStore;
import dev.mitosis.connectors.topology.MitosisConfig;
import dev.mitosis.connectors.topology.Server;
import dev.mitosis.connectors.work.KeySplit;
import dev.mitosis.connectors.work.KeySplitStore;
import dev.mitosis.connectors.work.KeySplitter;
import dev.mitosis.connectors.work.KeySpan;
import dev.mitosis.connectors.work.WorkGroup;
import dev.mitosis.connectors.work.WorkUnits;
import dev.mitosis.ops.purge.PurgeInterlocks;
import dev.mitosis.ops.purge.PurgeReplicas;
import dev.mitosis.purger.CaptureStatusFollower;
import dev.mitosis.purger.InterlockResult;
import dev.mitosis.purger.PurgeListener;
import dev.mitosis.purger.PurgePlan;
import dev.mitosis.purger.PurgeProgress;
import dev.mitosis.purger.PurgeRange;
import dev.mitosis.purger.PurgeReport;
import dev.mitosis.purger.PurgeSettings;
import dev.mitosis.purger.PurgeTarget;
import dev.mitosis.purger.Purger;
import dev.mitosis.purger.ReplicaEndpoint;
import dev.mitosis.purger.TablePlan;
import dev.mitosis.purger.ThrottleDecision;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The purge of one new shard inside the daemon, unit by unit: a unit is a table, or with a work group and
 * {@code daemon.work.ranges.per.table} above 1, one of the key ranges each table is cut into, run by whichever
 * daemon of the work group owns its partition, as its own {@link Purger} run behind the same interlocks as
 * {@code mitosis purge} (checked at the start of each unit and every few seconds during it). A unit whose
 * partition moves away is stopped after its chunk; its new owner resumes from the unit's checkpoint on the server.
 *
 * <p>A table's cut is made once: the owner of its range 0 splits the keys on the new shard's server
 * ({@link KeySplitter}) and stores the split on {@code <prefix>.work.splits} unless one is stored already; owners of
 * its other ranges wait for it (state WAITING_FOR_SPLIT of the unit, checked every second, failing the purge after
 * {@link #SPLIT_WAIT}) and work on their other units meanwhile. The shard is DONE only when every unit is done,
 * here or, as its checkpoint on the server says, by another daemon.
 *
 * <p>Refused by an interlock, the purge stays REFUSED and checks them again every {@code purge.retry.interval.ms}
 * (each new refusal logged once), so one refused only because the quiet window had not passed starts by itself.
 */
final class ShardPurge {

    /** An interlock check answers quickly: a broker that does not answer in this time refuses the purge. */
    private static final Duration INTERLOCK_READ_TIMEOUT = Duration.ofSeconds(3);
    /** How long the owner of a table's later range waits for the owner of its range 0 to store the split. */
    static final Duration SPLIT_WAIT = Duration.ofMinutes(10);
    private static final Duration SPLIT_STORE_TIMEOUT = Duration.ofSeconds(15);
    private static final Logger LOG = LoggerFactory.getLogger(ShardPurge.class);

    /** One unit of the shard's purge: a table ({@code parts == 1}) or range {@code index} of it. */
    private record Unit(String name, String tableUnit, TablePlan table, int index, int parts) {
    }

    /** What /status shows of a unit. */
    private static final class UnitView {
        private volatile String state = "PENDING";
        private volatile String detail = "";
        private volatile String span = "";
        private final AtomicLong rowsDeletedHere = new AtomicLong();

        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("state", state);
            if (!detail.isEmpty()) {
                m.put("detail", detail);
            }
            if (!span.isEmpty()) {
                m.put("span", span);
            }
            m.put("rowsDeletedHere", rowsDeletedHere.get());
            return m;
        }
    }

    private final int shard;
    private final MitosisConfig config;
    private final PurgeSettings settings;
    private final WorkGroup work;
    private final PurgeControl control;
    private final Duration retryInterval;
    private final Server server;
    private final Object wake = new Object();
    private final AtomicReference<Purger> current = new AtomicReference<>();
    private final AtomicReference<String> state = new AtomicReference<>("NEW");
    private final AtomicLong rowsDeleted = new AtomicLong();
    private final int rangesPerTable;
    private final Map<String, Unit> pending = new LinkedHashMap<>();
    private final List<Unit> doneHere = new ArrayList<>();
    private final Map<String, UnitView> views = new LinkedHashMap<>();
    private final Map<String, KeySplit> splits = new ConcurrentHashMap<>();
    private final Map<String, Long> splitWaitSince = new ConcurrentHashMap<>();
    private KeySplitStore splitStore;
    private volatile String currentTable = "";
    private volatile String currentUnit = "";
    private volatile String reason = "";
    private volatile String retryAt = "";
    private List<String> refusedBy = List.of();
    private volatile ThrottleDecision throttle = ThrottleDecision.pause("not started");
    private volatile boolean stopping;
    private final Thread thread;

    /** @param rangesPerTable key ranges per table, each a unit; 1 for a table per unit (always without a group) */
    ShardPurge(int shard, MitosisConfig config, PurgeSettings settings, WorkGroup work, PurgeControl control,
               Duration retryInterval, int rangesPerTable) {
        this.shard = shard;
        this.rangesPerTable = rangesPerTable;
        this.retryInterval = retryInterval;
        this.config = config;
        this.settings = settings.withPauseFile(control.file());
        this.work = work;
        this.control = control;
        this.server = config.topology().serverOfNewShard(shard);
        this.thread = new Thread(this::run, "purge-shard-" + shard);
        this.thread.setDaemon(true);
    }

    int shard() {
        return shard;
    }

    PurgeControl control() {
        return control;
    }

    void start() {
        state.set("STARTING");
        thread.start();
    }

    boolean alive() {
        return thread.isAlive();
    }

    /** A purger of some tables, built as {@code mitosis purge} builds one: the same interlocks, capture followed. */
    private Purger.Builder builder(List<String> tables, CaptureStatusFollower capture) {
        ServerConnector connector = new ServerConnector(server);
        PurgeTarget target = new PurgeTarget(config.topology().shardMap(), shard, server.name(), connector::open);
        KafkaClients kafka = new KafkaClients(config.kafka());
        return Purger.builder(target)
                .settings(settings)
                .tables(config.schemas(), config::tableRule)
                .only(tables)
                .interlocks(PurgeInterlocks.forPair(config, config.topology().pair(server.pair()), target, settings,
                        new RoutingStore(kafka, INTERLOCK_READ_TIMEOUT), capture, Clock.systemUTC()))
                .capture(capture)
                .listener(listener());
    }

    private void run() {
        try (CaptureStatusFollower capture = new CaptureStatusFollower(new KafkaClients(config.kafka()), server.name(),
                INTERLOCK_READ_TIMEOUT)) {
            PurgePlan plan = builder(List.of(), capture).build().plan(false);
            if (rangesPerTable > 1) {
                splitStore = new KeySplitStore(new KafkaClients(config.kafka()), SPLIT_STORE_TIMEOUT);
                splitStore.ensureExists();
            }
            synchronized (pending) {
                for (TablePlan table : plan.tables().stream().filter(TablePlan::purged).toList()) {
                    String tableUnit = WorkUnits.purgeUnit(shard, table.qualifiedName());
                    for (int i = 0; i < rangesPerTable; i++) {
                        String name = WorkUnits.rangeUnit(tableUnit, i, rangesPerTable);
                        pending.put(name, new Unit(name, tableUnit, table, i, rangesPerTable));
                        views.put(name, new UnitView());
                    }
                }
            }
            List<ReplicaEndpoint> replicas = PurgeReplicas.of(config, server);
            LOG.info("event=purge_units shard={} server={} ranges_per_table={} units={} replicas={}", shard,
                    server.name(), rangesPerTable, pending.keySet(),
                    replicas.stream().map(ReplicaEndpoint::name).toList());
            while (!stopping) {
                forgetFinishedElsewhere();
                Optional<Ready> next = nextRunnable();
                if (next.isEmpty()) {
                    if (pendingCount() == 0) {
                        state.set("DONE");
                        reason = rangesPerTable > 1 ? "every range of every table of the shard is purged"
                                : "every table of the shard is purged";
                        return;
                    }
                    state.set("WAITING");
                    reason = waitingReason();
                    synchronized (wake) {
                        wake.wait(1000);
                    }
                    continue;
                }
                Unit unit = next.get().unit();
                List<InterlockResult> refused = builder(List.of(unit.table().qualifiedName()), capture)
                        .replicas(replicas).build().checkInterlocks().stream().filter(r -> !r.holds()).toList();
                if (!refused.isEmpty()) {
                    refused(refused);
                    continue;
                }
                interlocksHold();
                state.set("RUNNING");
                reason = "";
                Purger.Builder builder = builder(List.of(unit.table().qualifiedName()), capture).replicas(replicas);
                next.get().range().ifPresent(builder::range);
                Purger purger = builder.build();
                currentTable = unit.table().qualifiedName();
                currentUnit = unit.name();
                current.set(purger);
                if (stopping || !work.owns(unit.name())) {
                    current.set(null);
                    currentUnit = "";
                    continue;
                }
                UnitView view = views.get(unit.name());
                view.state = "RUNNING";
                view.detail = "";
                PurgeReport report;
                try {
                    report = purger.run();
                } finally {
                    current.set(null);
                    currentUnit = "";
                    synchronized (wake) {
                        wake.notifyAll();
                    }
                }
                LOG.info("event=purge_unit_end shard={} unit={} outcome={} rows={} reason=\"{}\"", shard,
                        unit.name(), report.outcome(), report.rowsDeleted(), report.reason());
                view.state = report.outcome() == PurgeReport.Outcome.DONE ? "DONE_HERE" : "PENDING";
                switch (report.outcome()) {
                    case DONE -> {
                        synchronized (pending) {
                            pending.remove(unit.name());
                            doneHere.add(unit);
                        }
                    }
                    case INTERRUPTED -> {
                        // stopped for shutdown, or the unit's partition moved: the loop decides which
                    }
                    case REFUSED -> refused(report.interlocks().stream().filter(r -> !r.holds()).toList());
                    case ABORTED, FAILED -> {
                        view.state = report.outcome().name();
                        view.detail = report.reason();
                        state.set(report.outcome().name());
                        reason = report.reason();
                        return;
                    }
                }
            }
            state.set("STOPPED");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            state.set("STOPPED");
        } catch (SQLException | RuntimeException e) {
            state.set("FAILED");
            reason = "cannot purge on " + server.name() + ": " + e.getMessage();
            LOG.error("event=purge_shard_failed shard={} error=\"{}\"", shard, e.toString());
        } finally {
            currentTable = "";
            currentUnit = "";
        }
    }

    /** A unit ready to run, with its key range if it is one. */
    private record Ready(Unit unit, Optional<PurgeRange> range) {
    }

    /**
     * The first pending unit this daemon owns whose range is known; a range whose table's split is not stored yet is
     * split here if it is range 0, else left WAITING_FOR_SPLIT.
     */
    private Optional<Ready> nextRunnable() throws SQLException {
        List<Unit> owned;
        synchronized (pending) {
            owned = pending.values().stream().filter(u -> work.owns(u.name())).toList();
            pending.values().stream().filter(u -> !work.owns(u.name())).forEach(u -> {
                UnitView v = views.get(u.name());
                v.state = "OWNED_ELSEWHERE";
                v.detail = "";
            });
        }
        for (Unit unit : owned) {
            if (unit.parts() == 1) {
                return Optional.of(new Ready(unit, Optional.empty()));
            }
            Optional<KeySplit> split = split(unit);
            UnitView view = views.get(unit.name());
            if (split.isEmpty()) {
                view.state = "WAITING_FOR_SPLIT";
                view.detail = "the owner of range 0 (" + WorkUnits.rangeUnit(unit.tableUnit(), 0, unit.parts())
                        + ") has not stored the key split of " + unit.table().qualifiedName() + " on "
                        + new KafkaClients(config.kafka()).topics().workSplits() + " yet";
                continue;
            }
            Optional<KeySpan> span = split.get().span(unit.index());
            view.span = span.map(Object::toString).orElse("(empty: past the table's last key at the cut)");
            return Optional.of(new Ready(unit, Optional.of(new PurgeRange(unit.index(), unit.parts(), span))));
        }
        return Optional.empty();
    }

    /** The stored split of a unit's table: read, made here by range 0's owner, or empty while others wait. */
    private Optional<KeySplit> split(Unit unit) throws SQLException {
        KeySplit known = splits.get(unit.tableUnit());
        if (known != null) {
            return Optional.of(known);
        }
        Optional<KeySplit> stored = splitStore.read(unit.tableUnit());
        if (stored.isEmpty() && unit.index() == 0) {
            KeySplit made;
            try (Connection c = new ServerConnector(server).open()) {
                made = KeySplitter.split(c, unit.table().schema(), unit.table().table(), unit.table().primaryKey(),
                        unit.parts(), server.name());
            }
            // Read again just before storing: the split is stored once, whoever made it first.
            stored = splitStore.read(unit.tableUnit());
            if (stored.isEmpty()) {
                splitStore.publish(unit.tableUnit(), made);
                LOG.info("event=purge_split_stored shard={} table={} parts={} boundaries={} server={}", shard,
                        unit.table().qualifiedName(), made.parts(), made.boundaries(), server.name());
                stored = Optional.of(splitStore.read(unit.tableUnit()).orElse(made));
            }
        }
        if (stored.isEmpty()) {
            long since = splitWaitSince.computeIfAbsent(unit.tableUnit(), k -> System.nanoTime());
            if (System.nanoTime() - since > SPLIT_WAIT.toNanos()) {
                throw new IllegalStateException("no key split of " + unit.table().qualifiedName() + " (unit "
                        + unit.tableUnit() + ") was stored within " + SPLIT_WAIT.toMinutes() + " min: the daemon"
                        + " owning " + WorkUnits.rangeUnit(unit.tableUnit(), 0, unit.parts()) + " did not make it;"
                        + " see its log (event=purge_split_stored), then ask for the purge again");
            }
            return Optional.empty();
        }
        KeySplit split = stored.get();
        if (split.parts() != unit.parts()) {
            throw new IllegalStateException("the key split stored for " + unit.tableUnit() + " has " + split.parts()
                    + " ranges but daemon.work.ranges.per.table is " + unit.parts() + " here: every daemon of a work"
                    + " group needs the same value (the stored split, never changed, has " + split.parts() + ")");
        }
        splits.put(unit.tableUnit(), split);
        splitWaitSince.remove(unit.tableUnit());
        return Optional.of(split);
    }

    private String waitingReason() {
        synchronized (pending) {
            long waitingForSplit = pending.values().stream()
                    .filter(u -> "WAITING_FOR_SPLIT".equals(views.get(u.name()).state)).count();
            long elsewhere = pending.size() - waitingForSplit;
            return elsewhere + " unit(s) owned by other daemons of the work group"
                    + (waitingForSplit > 0 ? ", " + waitingForSplit + " waiting for their table's key split" : "");
        }
    }

    /**
     * An interlock refused the unit: REFUSED until the next check, {@code purge.retry.interval.ms} from now (or
     * stop). The log says so once per change of the refusing interlocks, not at every check.
     */
    private void refused(List<InterlockResult> refused) throws InterruptedException {
        String why = "refused: " + String.join("; ", refused.stream().map(InterlockResult::toString).toList());
        List<String> names = refused.stream().map(InterlockResult::name).toList();
        state.set("REFUSED");
        reason = why;
        retryAt = Instant.now().plus(retryInterval).toString();
        if (!names.equals(refusedBy)) {
            LOG.info("event=purge_refused shard={} interlocks={} retry_every_ms={} reason=\"{}\"", shard, names,
                    retryInterval.toMillis(), why);
            refusedBy = names;
        }
        long until = System.nanoTime() + retryInterval.toNanos();
        synchronized (wake) {
            while (!stopping && System.nanoTime() < until) {
                wake.wait(Math.max(1, (until - System.nanoTime()) / 1_000_000));
            }
        }
        retryAt = "";
    }

    /** Every interlock held: a refusal before is over, said once. */
    private void interlocksHold() {
        if (!refusedBy.isEmpty()) {
            LOG.info("event=purge_interlocks_hold shard={} refused_before={}", shard, refusedBy);
            refusedBy = List.of();
        }
    }

    private int pendingCount() {
        synchronized (pending) {
            return pending.size();
        }
    }

    /**
     * Units another daemon finished are done here too, as their checkpoints on the server say: a table's row done
     * (a whole table, or every range of it), or a range's own row done.
     */
    private void forgetFinishedElsewhere() {
        try (Connection c = new ServerConnector(server).open()) {
            try (PreparedStatement ps = c.prepareStatement("SELECT CONCAT(schema_name, '.', table_name)"
                    + " FROM `_mitosis`.`purge_checkpoint` WHERE new_shard = ? AND done")) {
                ps.setInt(1, shard);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String tableUnit = WorkUnits.purgeUnit(shard, rs.getString(1));
                        synchronized (pending) {
                            pending.values().removeIf(u -> u.tableUnit().equals(tableUnit) && doneElsewhere(u));
                        }
                    }
                }
            }
            if (rangesPerTable > 1) {
                try (PreparedStatement ps = c.prepareStatement("SELECT CONCAT(schema_name, '.', table_name),"
                        + " range_index FROM `_mitosis`.`purge_range_checkpoint`"
                        + " WHERE new_shard = ? AND range_parts = ? AND done")) {
                    ps.setInt(1, shard);
                    ps.setInt(2, rangesPerTable);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            String name = WorkUnits.rangeUnit(WorkUnits.purgeUnit(shard, rs.getString(1)),
                                    rs.getInt(2), rangesPerTable);
                            synchronized (pending) {
                                Unit unit = pending.get(name);
                                if (unit != null && doneElsewhere(unit)) {
                                    pending.remove(name);
                                }
                            }
                        }
                    }
                }
            }
        } catch (SQLException e) {
            // No checkpoint table yet, or the server is away: the purge itself will say so.
        }
    }

    /** Marks a unit seen done on the server; true (to remove it) unless it runs here now. */
    private boolean doneElsewhere(Unit unit) {
        if (unit.name().equals(currentUnit)) {
            return false;
        }
        UnitView view = views.get(unit.name());
        view.state = "DONE";
        view.detail = "its checkpoint on " + server.name() + " says done";
        return true;
    }

    /** The work group moved partitions: stop the unit under way if it is no longer ours, and wake the loop. */
    void ownershipChanged() {
        String unit = currentUnit;
        Purger purger = current.get();
        if (purger != null && !unit.isEmpty() && !work.owns(unit)) {
            LOG.info("event=purge_unit_moved shard={} unit={}", shard, unit);
            purger.stop();
        }
        synchronized (wake) {
            wake.notifyAll();
        }
    }

    /** Whether a unit of {@code partitions} is under way; the group waits for it to end before giving it away. */
    boolean runningUnitIn(Set<Integer> partitions) {
        String unit = currentUnit;
        return current.get() != null && !unit.isEmpty()
                && partitions.contains(WorkUnits.partitionOf(unit, work.partitions()));
    }

    /** Stops the unit under way if its partition is among {@code partitions}. */
    void stopUnitsIn(Set<Integer> partitions) {
        if (runningUnitIn(partitions)) {
            Purger purger = current.get();
            if (purger != null) {
                purger.stop();
            }
        }
    }

    /** Waits until no unit of {@code partitions} is under way (its last chunk committed); whether it came to that. */
    boolean awaitNoUnitIn(Set<Integer> partitions, long deadlineNanos) throws InterruptedException {
        synchronized (wake) {
            while (runningUnitIn(partitions)) {
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                wake.wait(Math.max(1, left / 1_000_000));
            }
            return true;
        }
    }

    /** Ends the purge after the chunk under way; does not wait. */
    void stop() {
        stopping = true;
        Purger purger = current.get();
        if (purger != null) {
            purger.stop();
        }
        synchronized (wake) {
            wake.notifyAll();
        }
    }

    boolean awaitStopped(Duration timeout) throws InterruptedException {
        thread.join(Math.max(1, timeout.toMillis()));
        return !thread.isAlive();
    }

    String state() {
        return state.get();
    }

    private PurgeListener listener() {
        return new PurgeListener() {
            @Override
            public void chunk(PurgeProgress progress) {
                rowsDeleted.addAndGet(progress.chunkRows());
                UnitView view = views.get(currentUnit);
                if (view != null) {
                    view.rowsDeletedHere.addAndGet(progress.chunkRows());
                }
                throttle = progress.throttle();
            }

            @Override
            public void throttleChanged(ThrottleDecision old, ThrottleDecision now) {
                throttle = now;
                LOG.info("event=purge_throttle shard={} from=\"{}\" to=\"{}\"", shard, old, now);
            }

            @Override
            public void tunableChanged(String name, String oldValue, String newValue, String by) {
                LOG.info("event=purge_tunable shard={} name={} old={} new={} by=\"{}\"", shard, name, oldValue,
                        newValue, by);
            }
        };
    }

    Map<String, Object> status() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("worker", "purge");
        s.put("shard", shard);
        s.put("server", server.name());
        s.put("state", state.get());
        s.put("reason", reason);
        if (!retryAt.isEmpty()) {
            s.put("retryAt", retryAt);
        }
        s.put("currentTable", currentTable);
        s.put("currentUnit", currentUnit);
        s.put("rangesPerTable", rangesPerTable);
        s.put("rowsDeleted", rowsDeleted.get());
        synchronized (pending) {
            s.put("tablesPending", pending.values().stream().map(u -> u.table().qualifiedName()).distinct().toList());
            s.put("tablesDoneHere", doneHere.stream().map(u -> u.table().qualifiedName()).distinct().toList());
            s.put("unitsPending", List.copyOf(pending.keySet()));
            s.put("unitsDoneHere", doneHere.stream().map(Unit::name).toList());
            Map<String, Object> units = new LinkedHashMap<>();
            views.forEach((name, view) -> units.put(name, view.toMap()));
            s.put("units", units);
        }
        s.put("throttle", throttle.toString());
        s.put("paused", control.paused());
        control.rate().ifPresent(r -> s.put("maxRowsPerSecond", r));
        s.put("controlFile", control.file().toAbsolutePath().toString());
        return s;
    }
}
