package dev.mitosis.verifier;

import dev.mitosis.connectors.time.Sleeper;

import dev.mitosis.connectors.mariadb.ServerConnector;
import dev.mitosis.connectors.topology.Pair;
import dev.mitosis.connectors.work.KeySplit;
import dev.mitosis.connectors.work.KeySplitter;
import dev.mitosis.verifier.internal.BothServers;
import dev.mitosis.verifier.internal.Checkpoint;
import dev.mitosis.verifier.internal.ChunkComparer;
import dev.mitosis.verifier.internal.KeyBound;
import dev.mitosis.verifier.internal.StreamRecheck;
import dev.mitosis.verifier.internal.ServerSession;
import dev.mitosis.verifier.internal.TableCatalog;
import dev.mitosis.verifier.internal.TableShape;
import dev.mitosis.verifier.internal.TableTally;
import dev.mitosis.verifier.internal.TableVerifier;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Proves the two servers of one pair hold the same rows, table by table and chunk by chunk, while writes go on,
 * and says PASS, FAIL or UNKNOWN with the coverage it rests on. It only reads: it never writes to a user table.
 *
 * <p>One run per instance: {@code NEW -> RUNNING -> STOPPED | FAILED}; {@link #stop()} moves a running verifier
 * to DRAINING, which finishes the chunk under way, leaves the checkpoint, and returns an UNKNOWN report saying
 * the run was interrupted.
 */
public final class PairVerifier {

    /** The lifecycle. */
    public enum State { NEW, RUNNING, DRAINING, STOPPED, FAILED }

    /**
     * What to verify and where to keep state.
     *
     * @param tables        {@code schema.table} names to verify, or empty (with no ranges) for every base table of
     *                      the schemas
     * @param checkpointDir where {@code checkpoint.json} lives (resume after a kill), or empty for no checkpoints
     * @param listener      progress
     * @param differences   receives every differing row (the --diff-file), in the order found
     * @param changes       the change stream that narrows re-checks, or {@link ChangedRows#NONE}
     * @param ranges        key ranges of tables to verify besides {@code tables}, each reported as its own entry
     *                      named {@link TableRange#name()}: how processes share one big table
     */
    public record Request(List<String> tables, Optional<Path> checkpointDir, VerifyListener listener,
                          Consumer<RowDifference> differences, ChangedRows changes, List<TableRange> ranges) {

        /** Copies the lists. */
        public Request {
            tables = List.copyOf(tables);
            Objects.requireNonNull(checkpointDir, "checkpointDir");
            Objects.requireNonNull(listener, "listener");
            Objects.requireNonNull(differences, "differences");
            Objects.requireNonNull(changes, "changes");
            ranges = List.copyOf(ranges);
        }

        /** Whole tables only. */
        public Request(List<String> tables, Optional<Path> checkpointDir, VerifyListener listener,
                       Consumer<RowDifference> differences, ChangedRows changes) {
            this(tables, checkpointDir, listener, differences, changes, List.of());
        }

        /** Without a change stream. */
        public Request(List<String> tables, Optional<Path> checkpointDir, VerifyListener listener,
                       Consumer<RowDifference> differences) {
            this(tables, checkpointDir, listener, differences, ChangedRows.NONE);
        }

        /** The same request with re-checks narrowed by {@code changes}. */
        public Request withChanges(ChangedRows changes) {
            return new Request(tables, checkpointDir, listener, differences, changes, ranges);
        }

        /** The same request verifying {@code ranges} too. */
        public Request withRanges(List<TableRange> ranges) {
            return new Request(tables, checkpointDir, listener, differences, changes, ranges);
        }

        /** Whether the request names what to verify (tables or ranges), rather than every table. */
        public boolean names() {
            return !tables.isEmpty() || !ranges.isEmpty();
        }

        /** The range an entry of the scope stands for: a named range, or a whole table. */
        public TableRange rangeOf(String entry) {
            return ranges.stream().filter(r -> r.name().equals(entry)).findFirst()
                    .orElseGet(() -> TableRange.whole(entry));
        }

        /** Every table verified whole or in part, sorted. */
        public List<String> tablesTouched() {
            TreeSet<String> all = new TreeSet<>(tables);
            ranges.forEach(r -> all.add(r.table()));
            return List.copyOf(all);
        }

        /** Every table, no checkpoint, no listener. */
        public static Request everything() {
            return new Request(List.of(), Optional.empty(), VerifyListener.NONE, d -> { });
        }
    }

    private final Pair pair;
    private final List<String> schemas;
    private final VerifySettings settings;
    private final Clock clock;
    private final Sleeper sleeper;
    private final AtomicReference<State> state = new AtomicReference<>(State.NEW);
    private final CountDownLatch ended = new CountDownLatch(1);
    private final java.util.concurrent.atomic.AtomicBoolean stopRequested = new java.util.concurrent.atomic.AtomicBoolean();

    public PairVerifier(Pair pair, List<String> schemas, VerifySettings settings, Clock clock, Sleeper sleeper) {
        this.pair = Objects.requireNonNull(pair, "pair");
        this.schemas = List.copyOf(schemas);
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    }

    /**
     * The tables a full pass verifies when none is named: every base table of {@code schemas} on A or on A0,
     * sorted — the scope a pair's verdict must cover when its tables are verified apart ({@link VerdictMerge}).
     *
     * @throws SQLException if either server cannot be reached or read
     */
    public static List<String> tablesInScope(Pair pair, List<String> schemas, VerifySettings settings)
            throws SQLException {
        TreeSet<String> all = new TreeSet<>();
        try (ServerSession a = ServerSession.open(new ServerConnector(pair.a()), settings)) {
            all.addAll(TableCatalog.tables(a.connection(), schemas));
        }
        try (ServerSession a0 = ServerSession.open(new ServerConnector(pair.a0()), settings)) {
            all.addAll(TableCatalog.tables(a0.connection(), schemas));
        }
        return List.copyOf(all);
    }

    /**
     * Cuts {@code table} into {@code parts} key ranges on A ({@link KeySplitter}), so processes can verify it in
     * parts. A table A lacks, or one without a primary key, is not cut: its one range is the whole table, whose
     * verification then reports why it cannot be compared.
     *
     * @throws SQLException if A cannot be reached or read
     */
    public static KeySplit split(Pair pair, VerifySettings settings, String table, int parts) throws SQLException {
        String schema = table.substring(0, table.indexOf('.'));
        String name = table.substring(table.indexOf('.') + 1);
        try (ServerSession a = ServerSession.open(new ServerConnector(pair.a()), settings)) {
            Optional<TableShape> shape = TableCatalog.shape(a.connection(), schema, name);
            if (shape.isEmpty() || !shape.get().hasPrimaryKey()) {
                return new KeySplit(table, List.of(), parts, List.of(), pair.a().name(), System.currentTimeMillis());
            }
            List<String> keys = shape.get().keyColumns().stream().map(c -> c.name()).toList();
            return KeySplitter.split(a.connection(), schema, name, keys, parts, pair.a().name());
        }
    }

    public State state() {
        return state.get();
    }

    /** Asks a running verification to stop after its current chunk. Idempotent. */
    public void stop() {
        if (state.compareAndSet(State.RUNNING, State.DRAINING)) {
            stopRequested.set(true);
        }
    }

    /** Whether {@link #stop()} cut the run short: its report is then not a verdict on the whole scope. */
    public boolean stopRequested() {
        return stopRequested.get();
    }

    /**
     * Waits until a run ended (after {@link #stop()}: its current chunk finished and the checkpoint is written).
     *
     * @return whether it ended within {@code timeout}
     */
    public boolean awaitEnd(java.time.Duration timeout) throws InterruptedException {
        return state.get() == State.NEW || ended.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Runs the verification.
     *
     * @throws IllegalStateException if this verifier already ran
     * @throws InterruptedException  if the thread is interrupted while backing off
     */
    public PairReport verify(Request request) throws InterruptedException {
        if (!state.compareAndSet(State.NEW, State.RUNNING)) {
            throw new IllegalStateException("a PairVerifier runs once; this one is " + state.get());
        }
        Instant started = clock.instant();
        try {
            PairReport report = run(request, started);
            state.set(State.STOPPED);
            return report;
        } catch (RuntimeException | InterruptedException e) {
            state.set(State.FAILED);
            throw e;
        } finally {
            ended.countDown();
        }
    }

    private PairReport run(Request request, Instant started) throws InterruptedException {
        ServerSession a;
        ServerSession a0;
        try {
            a = ServerSession.open(new ServerConnector(pair.a()), settings);
        } catch (SQLException e) {
            return unreachable(started, pair.a().name(), e);
        }
        try {
            a0 = ServerSession.open(new ServerConnector(pair.a0()), settings);
        } catch (SQLException e) {
            a.close();
            return unreachable(started, pair.a0().name(), e);
        }
        try (BothServers servers = new BothServers(a, a0)) {
            return new Run(servers, request, started).execute();
        }
    }

    private PairReport unreachable(Instant started, String server, SQLException e) {
        String reason = "cannot reach " + server + ": " + e.getMessage() + "; start it or fix the config, then verify again";
        return report(started, List.of(reason), "", "", false, List.of(), List.of());
    }

    private PairReport report(Instant started, List<String> reasons, String gtidA, String gtidA0, boolean resumed,
                              List<TableReport> tables, List<String> notes) {
        Instant finished = clock.instant();
        PairReport.Totals totals = PairReport.Totals.of(tables);
        List<String> why = new ArrayList<>(reasons);
        Verdict verdict = tables.stream().map(TableReport::verdict).reduce(Verdict.PASS, Verdict::and);
        if (totals.tablesCompared() == 0) {
            why.add("nothing was compared (no table in scope, or every table skipped): check schemas and --table");
        }
        if (!why.isEmpty()) {
            verdict = verdict.and(Verdict.UNKNOWN);
        }
        return new PairReport(pair.number(), verdict, why, pair.a().name(), pair.a0().name(), gtidA, gtidA0,
                started.toString(), finished.toString(), finished.toEpochMilli() - started.toEpochMilli(), resumed,
                totals, tables, notes);
    }

    /** One run over open sessions. */
    private final class Run {
        private final BothServers servers;
        private final Request request;
        private Instant started;
        private final List<String> reasons = new ArrayList<>();
        private final ChunkComparer comparer;
        private List<String> scope = List.of();

        Run(BothServers servers, Request request, Instant started) {
            this.servers = servers;
            this.request = request;
            this.started = started;
            this.comparer = new ChunkComparer(servers, settings, request.changes());
        }

        /** How re-checks went: whether the change stream narrowed them, and if not why. */
        private List<String> notes() {
            StreamRecheck.Tally t = comparer.recheckTally();
            List<String> notes = new ArrayList<>();
            if (t.byStream() > 0) {
                notes.add(t.byStream() + " differing chunk(s) re-checked through the change stream");
            }
            if (!t.lastFallback().isEmpty()) {
                notes.add("re-checks fell back to MASTER_GTID_WAIT and whole-chunk re-reads (" + t.wholeChunk()
                        + " chunk(s)): " + t.lastFallback());
            }
            return notes;
        }

        PairReport execute() throws InterruptedException {
            List<TableReport> done = new ArrayList<>();
            try {
                reasons.addAll(replicationProblems());
                scope = scope(done);
            } catch (SQLException e) {
                reasons.add("cannot read the catalog: " + e.getMessage());
                return report(started, reasons, "", "", false, done, notes());
            }
            reasons.addAll(sharedDomain());
            // A checkpoint older than a verdict may be is not resumed: its chunks would vouch for data long gone.
            Instant oldest = clock.instant().minus(settings.maxAge());
            Optional<Checkpoint> resumeFrom = request.checkpointDir().flatMap(Checkpoint::read)
                    .filter(c -> c.pair() == pair.number() && c.scope().equals(scope)
                            && Instant.parse(c.startedAt()).isAfter(oldest));
            boolean resumed = resumeFrom.isPresent();
            TableTally current = null;
            if (resumed) {
                started = Instant.parse(resumeFrom.get().startedAt());
                // The checkpoint's reports include those of requested tables found nowhere, made again just now.
                done.clear();
                done.addAll(resumeFrom.get().finished());
                current = resumeFrom.get().current();
            }
            for (String table : scope) {
                if (done.stream().anyMatch(t -> t.table().equals(table))) {
                    continue;
                }
                TableTally tally = current != null && current.table().equals(table) ? current
                        : new TableTally(table, settings.chunkInitialRows());
                TableReport tableReport = verifyTable(table, tally, done);
                if (tableReport == null) {
                    reasons.add("interrupted: run the same command again to resume from the last finished chunk");
                    return report(started, reasons, "", "", resumed, done, notes());
                }
                done.add(tableReport);
                request.listener().tableDone(tableReport);
                checkpoint(done, null);
            }
            String gtidA = "";
            String gtidA0 = "";
            try {
                reasons.addAll(replicationProblems());
                BothServers.Both<String> positions = servers.run(s -> s.gtidBinlogPos().toString());
                gtidA = positions.a();
                gtidA0 = positions.a0();
            } catch (SQLException e) {
                reasons.add("cannot read replication state at the end: " + e.getMessage());
            }
            request.checkpointDir().ifPresent(Checkpoint::delete);
            return report(started, reasons.stream().distinct().toList(), gtidA, gtidA0, resumed, done, notes());
        }

        /** Catch-up waits tell the two servers' transactions apart by GTID domain; a shared domain defeats that. */
        private List<String> sharedDomain() {
            if (servers.a().ownDomain() != servers.a0().ownDomain()) {
                return List.of();
            }
            return List.of("A and A0 both write GTID domain " + servers.a().ownDomain() + ": re-checks cannot wait for"
                    + " the other server's transactions; give each server its own gtid_domain_id");
        }

        private List<String> replicationProblems() throws SQLException {
            BothServers.Both<List<String>> problems = servers.run(ServerSession::replicationProblems);
            List<String> all = new ArrayList<>(problems.a());
            all.addAll(problems.a0());
            return all.stream().map(p -> p + ": while replication is not running both ways no verdict can be PASS")
                    .toList();
        }

        /**
         * The entries in scope, sorted: tables, and ranges of tables by their names; requested ones whose table
         * exists nowhere are reported at once.
         */
        private List<String> scope(List<TableReport> done) throws SQLException {
            BothServers.Both<TreeSet<String>> catalogs = servers.run(s -> TableCatalog.tables(s.connection(), schemas));
            TreeSet<String> all = new TreeSet<>(catalogs.a());
            all.addAll(catalogs.a0());
            if (!request.names()) {
                return List.copyOf(all);
            }
            TreeSet<String> wanted = new TreeSet<>();
            List<String> entries = new ArrayList<>(request.tables());
            request.ranges().forEach(r -> entries.add(r.name()));
            for (String entry : entries) {
                if (all.contains(TableRange.tableOf(entry))) {
                    wanted.add(entry);
                } else {
                    done.add(TableReport.notCompared(entry, Verdict.UNKNOWN, "not found on either server in schemas "
                            + schemas + ": check the name (schema.table)"));
                }
            }
            return List.copyOf(wanted);
        }

        /** The entry's report, or null if the run was stopped before it was done. */
        private TableReport verifyTable(String entry, TableTally tally, List<TableReport> done)
                throws InterruptedException {
            TableRange part = request.rangeOf(entry);
            String table = part.table();
            String schema = table.substring(0, table.indexOf('.'));
            String name = table.substring(table.indexOf('.') + 1);
            TableShape shape;
            try {
                BothServers.Both<Optional<TableShape>> shapes =
                        servers.run(s -> TableCatalog.shape(s.connection(), schema, name));
                Optional<TableReport> skip = skipReason(entry, shapes.a(), shapes.a0());
                if (skip.isPresent()) {
                    return skip.get();
                }
                shape = shapes.a().orElseThrow();
                request.listener().tableStarted(entry, TableCatalog.estimatedRows(servers.a().connection(), schema, name),
                        tally.rowsA());
            } catch (SQLException e) {
                return TableReport.notCompared(entry, Verdict.UNKNOWN, "cannot read the table's shape: " + e.getMessage());
            }
            try {
                Optional<KeyBound> from = part.span().lowerExclusive().map(k -> KeyBound.fromStrings(k, shape.keyColumns()));
                Optional<KeyBound> to = part.span().upperInclusive().map(k -> KeyBound.fromStrings(k, shape.keyColumns()));
                new TableVerifier(servers, settings, comparer, request.listener(), sleeper).run(shape, tally, from, to,
                        () -> state.get() == State.RUNNING, () -> checkpoint(done, tally), request.differences());
            } catch (SQLException e) {
                tally.abandon("server error while comparing " + table + ": " + e.getMessage()
                        + "; check both servers, then verify again");
            }
            return tally.finished() ? tally.report() : null;
        }

        private Optional<TableReport> skipReason(String table, Optional<TableShape> a, Optional<TableShape> a0) {
            if (a.isEmpty() || a0.isEmpty()) {
                String missing = a.isEmpty() ? pair.a().name() : pair.a0().name();
                return Optional.of(TableReport.notCompared(table, Verdict.FAIL, "the table is missing on " + missing
                        + ": create it there (same definition) or drop it on the other server"));
            }
            if (!a.get().sameShape(a0.get())) {
                return Optional.of(TableReport.notCompared(table, Verdict.FAIL, "the table's columns or primary key"
                        + " differ between " + pair.a().name() + " and " + pair.a0().name() + ": A has "
                        + a.get().columns() + " key " + a.get().keyColumns() + ", A0 has " + a0.get().columns()
                        + " key " + a0.get().keyColumns()));
            }
            if (!a.get().hasPrimaryKey()) {
                return Optional.of(TableReport.notCompared(table, Verdict.UNKNOWN, "no primary key, so it was skipped"
                        + " (chunks follow the primary key): add one, or leave the table out of the schemas in scope"));
            }
            return Optional.empty();
        }

        private void checkpoint(List<TableReport> done, TableTally current) {
            request.checkpointDir().ifPresent(dir -> new Checkpoint(pair.number(), scope, started.toString(),
                    done, current).write(dir));
        }
    }
}
