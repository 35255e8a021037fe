package dev.mitosis.ops.daemon;

import dev.mitosis.connectors.kafka.KafkaClients;
import dev.mitosis.connectors.mariadb.ServerConnector;
import dev.mitosis.connectors.routing.RoutingStore;
import dev.mitosis.connectors.topology.MitosisConfig;
import dev.mitosis.connectors.topology.Server;
import dev.mitosis.connectors.work.WorkGroup;
import dev.mitosis.connectors.work.WorkUnits;
import dev.mitosis.ops.purge.PurgeInterlocks;
import dev.mitosis.ops.purge.PurgeReplicas;
import dev.mitosis.purger.CaptureStatusFollower;
import dev.mitosis.purger.InterlockResult;
import dev.mitosis.purger.PurgeListener;
import dev.mitosis.purger.PurgePlan;
import dev.mitosis.purger.PurgeProgress;
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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The purge of one new shard inside the daemon, table by table: each table is a unit of work, run by whichever
 * daemon of the work group owns its partition, as its own {@link Purger} run behind the same interlocks as
 * {@code mitosis purge} (checked at the start of each table and every few seconds during it). A unit whose
 * partition moves away is stopped after its chunk; its new owner resumes from the checkpoint on the server.
 * Refused by an interlock, the purge stays REFUSED and checks them again every {@code purge.retry.interval.ms}
 * (each new refusal logged once), so one refused only because the quiet window had not passed starts by itself.
 */
final class ShardPurge {

    /** An interlock check answers quickly: a broker that does not answer in this time refuses the purge. */
    private static final Duration INTERLOCK_READ_TIMEOUT = Duration.ofSeconds(3);
    private static final Logger LOG = LoggerFactory.getLogger(ShardPurge.class);

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
    private final Set<String> pending = new LinkedHashSet<>();
    private final List<String> doneHere = new ArrayList<>();
    private volatile String currentTable = "";
    private volatile String reason = "";
    private volatile String retryAt = "";
    private List<String> refusedBy = List.of();
    private volatile ThrottleDecision throttle = ThrottleDecision.pause("not started");
    private volatile boolean stopping;
    private final Thread thread;

    ShardPurge(int shard, MitosisConfig config, PurgeSettings settings, WorkGroup work, PurgeControl control,
               Duration retryInterval) {
        this.shard = shard;
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
            synchronized (pending) {
                plan.tables().stream().filter(TablePlan::purged).map(TablePlan::qualifiedName).forEach(pending::add);
            }
            List<ReplicaEndpoint> replicas = PurgeReplicas.of(config, server);
            LOG.info("event=purge_units shard={} server={} tables={} replicas={}", shard, server.name(), pending,
                    replicas.stream().map(ReplicaEndpoint::name).toList());
            while (!stopping) {
                forgetFinishedElsewhere();
                String next = nextOwned();
                if (next == null) {
                    if (pendingCount() == 0) {
                        state.set("DONE");
                        reason = "every table of the shard is purged";
                        return;
                    }
                    state.set("WAITING");
                    reason = pendingCount() + " table(s) owned by other daemons of the work group";
                    synchronized (wake) {
                        wake.wait(1000);
                    }
                    continue;
                }
                List<InterlockResult> refused = builder(List.of(next), capture).replicas(replicas).build()
                        .checkInterlocks().stream().filter(r -> !r.holds()).toList();
                if (!refused.isEmpty()) {
                    refused(refused);
                    continue;
                }
                interlocksHold();
                state.set("RUNNING");
                currentTable = next;
                Purger purger = builder(List.of(next), capture).replicas(replicas).build();
                current.set(purger);
                if (stopping || !work.owns(WorkUnits.purgeUnit(shard, next))) {
                    continue;
                }
                PurgeReport report;
                try {
                    report = purger.run();
                } finally {
                    current.set(null);
                    synchronized (wake) {
                        wake.notifyAll();
                    }
                }
                LOG.info("event=purge_unit_end shard={} table={} outcome={} rows={} reason=\"{}\"", shard, next,
                        report.outcome(), report.rowsDeleted(), report.reason());
                switch (report.outcome()) {
                    case DONE -> {
                        synchronized (pending) {
                            pending.remove(next);
                            doneHere.add(next);
                        }
                    }
                    case INTERRUPTED -> {
                        // stopped for shutdown, or the unit's partition moved: the loop decides which
                    }
                    case REFUSED -> refused(report.interlocks().stream().filter(r -> !r.holds()).toList());
                    case ABORTED, FAILED -> {
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

    private String nextOwned() {
        synchronized (pending) {
            return pending.stream().filter(t -> work.owns(WorkUnits.purgeUnit(shard, t))).findFirst().orElse(null);
        }
    }

    private int pendingCount() {
        synchronized (pending) {
            return pending.size();
        }
    }

    /** Tables another daemon finished are done here too: the checkpoint on the server says so. */
    private void forgetFinishedElsewhere() {
        try (Connection c = new ServerConnector(server).open();
             PreparedStatement ps = c.prepareStatement("SELECT CONCAT(schema_name, '.', table_name)"
                     + " FROM `_mitosis`.`purge_checkpoint` WHERE new_shard = ? AND done")) {
            ps.setInt(1, shard);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    synchronized (pending) {
                        pending.remove(rs.getString(1));
                    }
                }
            }
        } catch (SQLException e) {
            // No checkpoint table yet, or the server is away: the purge itself will say so.
        }
    }

    /** The work group moved partitions: stop the unit under way if it is no longer ours, and wake the loop. */
    void ownershipChanged() {
        String table = currentTable;
        Purger purger = current.get();
        if (purger != null && !table.isEmpty() && !work.owns(WorkUnits.purgeUnit(shard, table))) {
            LOG.info("event=purge_unit_moved shard={} table={}", shard, table);
            purger.stop();
        }
        synchronized (wake) {
            wake.notifyAll();
        }
    }

    /** Whether a unit of {@code partitions} is under way; the group waits for it to end before giving it away. */
    boolean runningUnitIn(Set<Integer> partitions) {
        String table = currentTable;
        return current.get() != null && !table.isEmpty()
                && partitions.contains(WorkUnits.partitionOf(WorkUnits.purgeUnit(shard, table), work.partitions()));
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
        s.put("rowsDeleted", rowsDeleted.get());
        synchronized (pending) {
            s.put("tablesPending", List.copyOf(pending));
            s.put("tablesDoneHere", List.copyOf(doneHere));
        }
        s.put("throttle", throttle.toString());
        s.put("paused", control.paused());
        control.rate().ifPresent(r -> s.put("maxRowsPerSecond", r));
        s.put("controlFile", control.file().toAbsolutePath().toString());
        return s;
    }
}
