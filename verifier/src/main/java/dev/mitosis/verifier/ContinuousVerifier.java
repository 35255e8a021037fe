package dev.mitosis.verifier;

import dev.mitosis.connectors.mariadb.GtidPosition;
import dev.mitosis.connectors.mariadb.ServerConnector;
import dev.mitosis.connectors.time.Sleeper;
import dev.mitosis.connectors.topology.Pair;
import dev.mitosis.verifier.internal.BothServers;
import dev.mitosis.verifier.internal.ServerSession;
import dev.mitosis.verifier.internal.TableCatalog;
import dev.mitosis.verifier.internal.VerdictRefresher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Verifies a pair continuously: a full pass, then — while the verdict is PASS and capture runs — refreshes from the
 * change stream every {@code refreshInterval}, re-reading only the rows that changed since the positions the PASS
 * holds for, so the stored verdict is seconds old right before the flip; a new full pass every
 * {@code fullPassInterval} (it is what finds a difference no binlog shows). Every verdict is handed to
 * {@code verdicts} (and so published) with the time and GTID positions it holds for; a difference found by a
 * refresh turns it FAIL at once, rows still changing UNKNOWN.
 *
 * <p>Used by {@code mitosis verify} without {@code --once} and by the daemon. Lifecycle
 * {@code NEW -> RUNNING -> DRAINING -> STOPPED | FAILED}; {@link #stop()} finishes the chunk or refresh under way,
 * keeps a full pass's checkpoint, and returns within the given bound.
 */
public final class ContinuousVerifier implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ContinuousVerifier.class);

    /** The lifecycle. */
    public enum State { NEW, RUNNING, DRAINING, STOPPED, FAILED }

    /**
     * How often to do what.
     *
     * @param fullPassInterval time from the start of one full pass to the start of the next
     * @param refreshInterval  pause between two refreshes from the change stream
     * @param republishAfter   a PASS refreshed with no change is published again after this long, so its age at
     *                         the gate stays small while nothing is written
     */
    public record Schedule(Duration fullPassInterval, Duration refreshInterval, Duration republishAfter) {
        /** A full pass every 10 minutes, refreshes every 200 ms, republished every 10 s. */
        public static Schedule defaults() {
            return new Schedule(Duration.ofMinutes(10), Duration.ofMillis(200), Duration.ofSeconds(10));
        }
    }

    private final Pair pair;
    private final List<String> schemas;
    private final VerifySettings settings;
    private final ChangedRows changes;
    private final Schedule schedule;
    private final Clock clock;
    private final Sleeper sleeper;
    private final PairVerifier.Request request;
    private final Consumer<PairReport> verdicts;
    private final AtomicReference<State> state = new AtomicReference<>(State.NEW);
    private final AtomicReference<PairReport> latest = new AtomicReference<>();
    private final AtomicReference<PairVerifier> currentPass = new AtomicReference<>();
    private final CountDownLatch ended = new CountDownLatch(1);
    private Thread thread;

    /**
     * @param request  the tables, checkpoint dir, listener and diff sink of every full pass (its change stream is
     *                 replaced by {@code changes})
     * @param verdicts receives every verdict, full pass or refresh, in order (e.g. publishes it to the store)
     */
    public ContinuousVerifier(Pair pair, List<String> schemas, VerifySettings settings, ChangedRows changes,
                              Schedule schedule, PairVerifier.Request request, Consumer<PairReport> verdicts,
                              Clock clock, Sleeper sleeper) {
        this.pair = Objects.requireNonNull(pair, "pair");
        this.schemas = List.copyOf(schemas);
        this.settings = Objects.requireNonNull(settings, "settings");
        this.changes = Objects.requireNonNull(changes, "changes");
        this.schedule = Objects.requireNonNull(schedule, "schedule");
        this.request = request.withChanges(changes);
        this.verdicts = Objects.requireNonNull(verdicts, "verdicts");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    }

    public State state() {
        return state.get();
    }

    /** The newest verdict, if a full pass finished. */
    public Optional<PairReport> latest() {
        return Optional.ofNullable(latest.get());
    }

    /** Runs on a thread of its own; returns at once. */
    public synchronized ContinuousVerifier start() {
        if (thread != null) {
            throw new IllegalStateException("a ContinuousVerifier starts once; this one is " + state.get());
        }
        thread = new Thread(() -> {
            try {
                run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "mitosis-verify-pair-" + pair.number());
        thread.start();
        return this;
    }

    /**
     * Runs on the calling thread until {@link #stop()}.
     *
     * @throws InterruptedException if the thread is interrupted while pausing
     */
    public void run() throws InterruptedException {
        if (!state.compareAndSet(State.NEW, State.RUNNING)) {
            throw new IllegalStateException("a ContinuousVerifier runs once; this one is " + state.get());
        }
        try {
            loop();
            state.set(State.STOPPED);
        } catch (InterruptedException e) {
            state.set(State.STOPPED);
            throw e;
        } catch (RuntimeException e) {
            state.set(State.FAILED);
            throw e;
        } finally {
            ended.countDown();
        }
    }

    /** Asks it to stop after the chunk or refresh under way; idempotent. */
    public void stop() {
        if (state.compareAndSet(State.RUNNING, State.DRAINING) || state.get() == State.DRAINING) {
            PairVerifier pass = currentPass.get();
            if (pass != null) {
                pass.stop();
            }
        }
        state.compareAndSet(State.NEW, State.STOPPED);
    }

    /** Waits until it ended; whether it did within {@code timeout}. */
    public boolean awaitEnd(Duration timeout) throws InterruptedException {
        return state.get() == State.STOPPED || ended.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Stops and waits up to 30 s. */
    @Override
    public void close() {
        stop();
        try {
            awaitEnd(Duration.ofSeconds(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean running() {
        return state.get() == State.RUNNING && !Thread.currentThread().isInterrupted();
    }

    private void loop() throws InterruptedException {
        while (running()) {
            Instant passStarted = clock.instant();
            try (Refreshing refreshing = Refreshing.open(pair, settings, changes)) {
                // Tables are followed before the start positions are read, so no change after them is missed.
                Optional<BothServers.Both<GtidPosition>> since = refreshing == null ? Optional.empty()
                        : refreshing.followAndMark(scope(refreshing));
                PairVerifier pass = new PairVerifier(pair, schemas, settings, clock, sleeper);
                currentPass.set(pass);
                PairReport report = pass.verify(request);
                currentPass.set(null);
                if (Thread.currentThread().isInterrupted()) {
                    // An interrupt fails the pass's reads: what it says is about the interrupt, not the pair.
                    throw new InterruptedException("interrupted during a full pass of pair " + pair.number());
                }
                if (pass.stopRequested()) {
                    return; // not a verdict on the whole scope; the checkpoint lets the next run resume
                }
                deliver(report);
                if (since.isPresent() && report.verdict() == Verdict.PASS) {
                    refreshUntil(refreshing, report, since.get(), passStarted.plus(schedule.fullPassInterval()));
                }
            }
            pauseUntil(passStarted.plus(schedule.fullPassInterval()));
        }
    }

    private List<String> scope(Refreshing refreshing) {
        if (request.names()) {
            return request.tablesTouched();
        }
        try {
            return List.copyOf(TableCatalog.tables(refreshing.servers.a().connection(), schemas));
        } catch (SQLException e) {
            return List.of();
        }
    }

    /** Refreshes the PASS from the stream until the next full pass is due, a refresh is not PASS, or stop. */
    private void refreshUntil(Refreshing refreshing, PairReport pass, BothServers.Both<GtidPosition> since,
                              Instant nextPass) throws InterruptedException {
        List<TableRange> entries = pass.tables().stream().map(t -> request.rangeOf(t.table())).toList();
        List<String> tables = entries.stream().map(TableRange::table).distinct().toList();
        GtidPosition sinceA = since.a();
        GtidPosition sinceA0 = since.a0();
        Instant published = clock.instant();
        String publishedAt = pass.gtidA() + "/" + pass.gtidA0();
        try {
            Optional<String> unsupported = refreshing.refresher.unsupported(tables);
            if (unsupported.isPresent()) {
                LOG.info("event=refresh-off pair={} reason=\"{}\"", pair.number(), unsupported.get());
                return;
            }
            while (running() && clock.instant().isBefore(nextPass)) {
                // A lagging capture only delays a refresh: each one waits until capture covers the positions it
                // read, and the stream keeps every change since the PASS meanwhile.
                Instant readAt = clock.instant();
                Optional<VerdictRefresher.Outcome> outcome = refreshing.refresher.refreshRanges(entries, sinceA,
                        sinceA0);
                if (outcome.isPresent()) {
                    VerdictRefresher.Outcome o = outcome.get();
                    String positions = o.gtidA() + "/" + o.gtidA0();
                    boolean moved = !positions.equals(publishedAt);
                    if (o.kind() != VerdictRefresher.Kind.PASS || moved
                            || clock.instant().isAfter(published.plus(schedule.republishAfter()))) {
                        deliver(refreshed(pass, o, readAt));
                        published = clock.instant();
                        publishedAt = positions;
                    }
                    if (o.kind() != VerdictRefresher.Kind.PASS) {
                        return;
                    }
                    sinceA = o.gtidA();
                    sinceA0 = o.gtidA0();
                }
                sleeper.sleep(schedule.refreshInterval());
            }
        } catch (SQLException e) {
            LOG.warn("event=refresh-failed pair={} error=\"{}\" next=full-pass", pair.number(), e.getMessage());
        }
    }

    /** The full pass's report, made to hold for the refresh's positions and time. */
    private PairReport refreshed(PairReport pass, VerdictRefresher.Outcome o, Instant readAt) {
        o.differences().forEach(request.differences());
        List<TableReport> tables = new ArrayList<>();
        for (TableReport t : pass.tables()) {
            List<RowDifference> found = o.differencesByEntry().getOrDefault(t.table(), List.of());
            if (found.isEmpty()) {
                tables.add(t);
                continue;
            }
            List<String> reasons = new ArrayList<>(t.reasons());
            reasons.add(found.size() + " row(s) changed since the full pass differ: see the samples, or list all"
                    + " with --diff-file and repair with the suggested statements");
            tables.add(new TableReport(t.table(), Verdict.FAIL, reasons, t.coverage(), t.differences() + found.size(),
                    found.subList(0, Math.min(found.size(), TableReport.MAX_SAMPLES)), t.narrowingComplete(),
                    t.chunkMap(), t.durationMs()));
        }
        Verdict verdict = switch (o.kind()) {
            case PASS -> Verdict.PASS;
            case FAIL -> Verdict.FAIL;
            case UNKNOWN -> Verdict.UNKNOWN;
        };
        List<String> reasons = o.reason().isEmpty() ? List.of() : List.of(o.reason());
        List<String> notes = new ArrayList<>(pass.notes());
        notes.add("refreshed from the change stream: " + o.rowsChecked() + " changed row(s) re-checked since the"
                + " full pass that finished at " + pass.finishedAt());
        return new PairReport(pass.pair(), verdict, reasons, pass.serverA(), pass.serverA0(), o.gtidA().toString(),
                o.gtidA0().toString(), pass.startedAt(), readAt.toString(),
                readAt.toEpochMilli() - Instant.parse(pass.startedAt()).toEpochMilli(), pass.resumed(),
                PairReport.Totals.of(tables), tables, notes);
    }

    private void deliver(PairReport report) {
        latest.set(report);
        verdicts.accept(report);
    }

    private void pauseUntil(Instant when) throws InterruptedException {
        while (running() && clock.instant().isBefore(when)) {
            sleeper.sleep(Duration.ofMillis(Math.min(500, Math.max(1, Duration.between(clock.instant(), when).toMillis()))));
        }
    }

    /** The sessions refreshes use, open for one full pass and the refreshes after it. */
    private static final class Refreshing implements AutoCloseable {
        final BothServers servers;
        final VerdictRefresher refresher;
        final ChangedRows changes;

        private Refreshing(BothServers servers, VerdictRefresher refresher, ChangedRows changes) {
            this.servers = servers;
            this.refresher = refresher;
            this.changes = changes;
        }

        /** Sessions to both servers, or null when either is unreachable (the full pass then says why). */
        static Refreshing open(Pair pair, VerifySettings settings, ChangedRows changes) {
            ServerSession a = null;
            try {
                a = ServerSession.open(new ServerConnector(pair.a()), settings);
                ServerSession a0 = ServerSession.open(new ServerConnector(pair.a0()), settings);
                BothServers servers = new BothServers(a, a0);
                return new Refreshing(servers, new VerdictRefresher(servers, settings, changes), changes);
            } catch (SQLException e) {
                if (a != null) {
                    a.close();
                }
                return null;
            }
        }

        Optional<BothServers.Both<GtidPosition>> followAndMark(List<String> tables) {
            if (changes.unavailable().isPresent() || tables.isEmpty()) {
                return Optional.empty();
            }
            for (String table : tables) {
                changes.follow(table.substring(0, table.indexOf('.')), table.substring(table.indexOf('.') + 1));
            }
            try {
                return Optional.of(refresher.positions());
            } catch (SQLException e) {
                return Optional.empty();
            }
        }

        @Override
        public void close() {
            servers.close();
        }
    }
}
