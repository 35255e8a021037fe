package dev.mitosis.verifier.internal;

import dev.mitosis.connectors.time.Sleeper;

import dev.mitosis.verifier.RowDifference;
import dev.mitosis.verifier.VerifyListener;
import dev.mitosis.verifier.VerifySettings;

import java.sql.SQLException;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Verifies one table chunk by chunk: seek the next boundary on A (or step over a single integer key, see
 * {@link IntegerKeySteps}), checksum the chunk on both servers, re-check or narrow it, record it, checkpoint. The first chunk is open below and the last open above, so rows beyond either
 * server's key range are compared too. Restricted to one key range of the table ({@link #run(TableShape, TableTally,
 * Optional, Optional, BooleanSupplier, Runnable, Consumer)}), the first chunk starts after the range's lower bound and
 * the last ends at its upper bound; only the table's first and last range stay open.
 */
public final class TableVerifier {

    private final BothServers servers;
    private final VerifySettings settings;
    private final ChunkComparer comparer;
    private final RowNarrower narrower;
    private final ChunkSizer sizer;
    private final VerifyListener listener;
    private final ReadPacer pacer;

    public TableVerifier(BothServers servers, VerifySettings settings, ChunkComparer comparer, VerifyListener listener,
                         Sleeper sleeper) {
        this.servers = servers;
        this.settings = settings;
        this.comparer = comparer;
        this.narrower = new RowNarrower(servers, comparer);
        this.sizer = new ChunkSizer(settings.chunkTargetMs(), settings.chunkMaxRows());
        this.listener = listener;
        this.pacer = new ReadPacer(servers, settings.chunkTargetMs(), settings.maxThreadsRunning(), listener, sleeper);
    }

    /**
     * Runs chunks until the table is done or {@code keepGoing} turns false.
     *
     * @param checkpoint called after every finished chunk
     * @param diffs      receives every differing row
     */
    public void run(TableShape shape, TableTally tally, BooleanSupplier keepGoing, Runnable checkpoint,
                    Consumer<RowDifference> diffs) throws SQLException, InterruptedException {
        run(shape, tally, Optional.empty(), Optional.empty(), keepGoing, checkpoint, diffs);
    }

    /**
     * Runs the chunks of one key range {@code (from, to]} of the table; an empty bound is open.
     *
     * @param from the range's exclusive lower bound: where the first chunk starts
     * @param to   the range's inclusive upper bound: where the last chunk ends
     */
    public void run(TableShape shape, TableTally tally, Optional<KeyBound> from, Optional<KeyBound> to,
                    BooleanSupplier keepGoing, Runnable checkpoint, Consumer<RowDifference> diffs)
            throws SQLException, InterruptedException {
        Optional<IntegerKeySteps> steps = tally.finished() ? Optional.empty()
                : IntegerKeySteps.of(servers, shape, tally.chunkRows());
        while (!tally.finished() && keepGoing.getAsBoolean()) {
            pacer.beforeChunk(keepGoing);
            Optional<KeyBound> lower = tally.after(shape).or(() -> from);
            int rows = tally.chunkRows();
            boolean stepped = lower.isPresent() && steps.isPresent() && steps.get().usable();
            Optional<KeyBound> upper = stepped ? steps.get().upper(lower.get(), rows) : seek(shape, lower, to, rows);
            // Reaching the range's end (or past it) makes this its last chunk, ending where the range does.
            boolean last = upper.isEmpty() || to.isPresent() && !below(upper.get(), to.get());
            if (last) {
                upper = to;
            }
            KeyRange range = new KeyRange(lower, upper);
            long start = System.nanoTime();
            ChunkComparer.Result result = comparer.compare(shape, range);
            if (result.outcome() == ChunkComparer.Outcome.DIFFERENT) {
                result = narrow(shape, range, result, tally, diffs);
            }
            long millis = (System.nanoTime() - start) / 1_000_000;
            tally.chunkDone(result, upper, last, millis);
            long held = Math.max(result.a().rows(), result.a0().rows());
            int basis = rows;
            if (stepped) {
                steps.get().held(rows, held);
                // A stepped chunk holds about, not exactly, the rows asked: size the next from what it held.
                basis = held == 0 ? rows : (int) Math.min(Math.max(held, rows / 2), 2L * rows);
            }
            tally.chunkRows(sizer.next(basis, Math.max(result.a().millis(), result.a0().millis())));
            checkpoint.run();
            listener.chunkDone(shape.qualifiedName(), Math.max(result.a().rows(), result.a0().rows()), tally.rowsA(),
                    tally.chunksCompared(), tally.chunkRows());
            pacer.afterChunk(result, rows, keepGoing);
        }
    }

    /**
     * The upper bound of the next {@code rows} keys on A up to {@code to}, or empty when A has no more there: the
     * range's last chunk.
     */
    private Optional<KeyBound> seek(TableShape shape, Optional<KeyBound> lower, Optional<KeyBound> to, int rows)
            throws SQLException {
        Optional<ServerSession.Boundary> boundary =
                servers.a().nextBoundary(shape, new KeyRange(lower, to), rows);
        // Fewer keys than asked: this is A's last chunk, so leave it open above for rows only A0 has.
        return boundary.filter(b -> b.seen() >= rows).map(ServerSession.Boundary::key);
    }

    /**
     * Whether {@code key} is below {@code bound}. A stepped bound is a single integer, compared as a number; a sought
     * bound never passes the range's end, so it is below it unless it is the end itself.
     */
    private static boolean below(KeyBound key, KeyBound bound) {
        if (key.values().size() == 1 && key.values().get(0) instanceof java.math.BigDecimal k
                && bound.values().get(0) instanceof java.math.BigDecimal b) {
            return k.compareTo(b) < 0;
        }
        return !key.toStrings().equals(bound.toStrings());
    }

    /**
     * Lists the differing rows of a stably differing chunk. If none survives the row re-checks the difference was
     * in flight, and the chunk is compared once more to say so.
     */
    private ChunkComparer.Result narrow(TableShape shape, KeyRange range, ChunkComparer.Result result, TableTally tally,
                                        Consumer<RowDifference> diffs) throws SQLException {
        RowNarrower.Outcome outcome = narrower.narrow(shape, range, d -> {
            tally.difference(d);
            diffs.accept(d);
        });
        if (!outcome.complete()) {
            tally.narrowingIncomplete();
        }
        if (outcome.differences() > 0 || !outcome.complete()) {
            return result;
        }
        ChunkComparer.Result again = comparer.compare(shape, range);
        return again.outcome() == ChunkComparer.Outcome.DIFFERENT
                ? new ChunkComparer.Result(ChunkComparer.Outcome.HOT, again.a(), again.a0(), again.rechecks(),
                        "differs by chunk but no row difference holds still")
                : again;
    }
}
