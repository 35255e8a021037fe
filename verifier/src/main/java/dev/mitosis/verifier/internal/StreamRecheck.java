package dev.mitosis.verifier.internal;

import dev.mitosis.connectors.mariadb.GtidPosition;
import dev.mitosis.verifier.ChangedRows;
import dev.mitosis.verifier.VerifySettings;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Re-checks a differing chunk through the change stream: after both servers caught up, the rows the stream saw
 * change since the first read are read one by one and every other row of the chunk as one digest, in one query per
 * server each. If the rest is the same, only the changed rows that still differ are re-read after each further
 * catch-up, until they agree (SAME), hold still (DIFFERENT: narrowed to rows as usual) or run out of attempts (HOT).
 * Every row is still compared by reads of both servers; the stream only chooses which rows are read alone.
 *
 * <p>When the stream cannot answer (capture stopped or lagging, too many changed rows, a key it cannot name), the
 * chunk goes back to whole-chunk re-reads, and the tally says why.
 */
public final class StreamRecheck {

    /** More changed rows than this in one chunk: re-reading the whole chunk is as cheap. */
    static final int MAX_KEYS = 1000;
    private static final long AVAILABILITY_TTL_NANOS = 2_000_000_000L;

    /**
     * How re-checks went.
     *
     * @param byStream     differing chunks re-checked through the change stream
     * @param wholeChunk   differing chunks re-checked by whole-chunk re-reads
     * @param lastFallback why the stream was last not used, or empty
     */
    public record Tally(long byStream, long wholeChunk, String lastFallback) {
    }

    private final BothServers servers;
    private final VerifySettings settings;
    private final ChangedRows changes;
    private final ChunkComparer comparer;
    private long byStream;
    private long wholeChunk;
    private String lastFallback = "";
    private Optional<String> availability;
    private long availabilityReadAt;

    StreamRecheck(BothServers servers, VerifySettings settings, ChangedRows changes, ChunkComparer comparer) {
        this.servers = servers;
        this.settings = settings;
        this.changes = changes;
        this.comparer = comparer;
    }

    Tally tally() {
        return new Tally(byStream, wholeChunk, lastFallback);
    }

    /** Whether the stream can serve this table now; if so the table is followed from here on. */
    boolean usableFor(TableShape shape) {
        // Capture's status is read at most every few seconds: reading it is a Kafka round trip, a chunk is not.
        if (System.nanoTime() - availabilityReadAt > AVAILABILITY_TTL_NANOS || availability == null) {
            availability = changes.unavailable();
            availabilityReadAt = System.nanoTime();
        }
        Optional<String> why = availability;
        if (why.isEmpty() && !KeySet.supports(shape)) {
            why = Optional.of(shape.qualifiedName() + " has a key the change stream does not name exactly"
                    + " (only numbers and text)");
        }
        if (why.isPresent()) {
            lastFallback = why.get();
            return false;
        }
        changes.follow(shape.schema(), shape.table());
        return true;
    }

    /** The changed rows' side of one re-read: the rest's digest (or null), the rows by exact key, positions. */
    private record Split(ChunkDigest rest, LinkedHashMap<String, RowHashes.Entry> rows, GtidPosition after,
                         GtidPosition own, long millis) {
        static Split of(ServerSession s, TableShape shape, KeyRange range, KeySet keys, boolean withRest)
                throws SQLException {
            long start = System.nanoTime();
            ChunkDigest rest = withRest
                    ? s.checksum(shape, range.predicate(shape.keyColumns()).and(keys.notIn(shape.keyColumns()))) : null;
            LinkedHashMap<String, RowHashes.Entry> rows = RowHashes.list(s, shape,
                    range.predicate(shape.keyColumns()).and(keys.in(shape.keyColumns())), MAX_KEYS * 2);
            GtidPosition after = s.gtidBinlogPos();
            return new Split(rest, rows, after, after.onlyDomain(s.ownDomain()), (System.nanoTime() - start) / 1_000_000);
        }
    }

    /**
     * Re-checks a chunk whose first read differed.
     *
     * @return the result, or empty to re-check the whole chunk instead
     */
    Optional<ChunkComparer.Result> recheck(TableShape shape, KeyRange range, BothServers.Both<ChunkComparer.Read> first)
            throws SQLException {
        GtidPosition sinceA = first.a().before();
        GtidPosition sinceA0 = first.a0().before();
        GtidPosition untilA = first.a().after();
        GtidPosition untilA0 = first.a0().after();
        GtidPosition ownA = first.a().ownPosition();
        GtidPosition ownA0 = first.a0().ownPosition();
        List<String> keyNames = shape.keyColumns().stream().map(Column::name).toList();
        // Phase one reads the rest of the chunk as a digest beside the changed rows; once the rest is the same,
        // phase two re-reads only the changed rows that still differ.
        boolean restSame = false;
        String lastRestDelta = null;
        Map<String, String> lastDiffering = null;
        KeySet keys = null;
        long rowsA = 0;
        long rowsA0 = 0;
        for (int attempt = 1; attempt <= settings.recheckMaxAttempts(); attempt++) {
            if (!comparer.catchUp(ownA, ownA0)) {
                byStream++;
                return Optional.of(comparer.unverified(first, attempt - 1));
            }
            if (!restSame) {
                Optional<Set<List<String>>> changed = changes.changed(shape.schema(), shape.table(), keyNames,
                        new ChangedRows.Window(sinceA, sinceA0, untilA, untilA0), settings.recheckWait());
                if (changed.isEmpty()) {
                    return fallBack("the change stream did not reach the servers' positions within "
                            + settings.recheckWait().toMillis() + " ms");
                }
                if (changed.get().size() > MAX_KEYS) {
                    return fallBack(changed.get().size() + " rows of " + shape.qualifiedName()
                            + " changed during one chunk's re-check (more than " + MAX_KEYS + ")");
                }
                keys = KeySet.of(changed.get());
            }
            KeySet reread = keys;
            boolean withRest = !restSame;
            BothServers.Both<Split> split = servers.run(s -> Split.of(s, shape, range, reread, withRest));
            ownA = split.a().own();
            ownA0 = split.a0().own();
            if (!restSame) {
                ChunkDigest restA = split.a().rest();
                ChunkDigest restA0 = split.a0().rest();
                if (!restA.sameRows(restA0)) {
                    // Rows the stream did not see change differ: the same delta twice is a real difference; else
                    // more rows changed while this was read, and the next window names them.
                    String delta = restA.deltaFrom(restA0);
                    if (delta.equals(lastRestDelta)) {
                        byStream++;
                        return Optional.of(new ChunkComparer.Result(ChunkComparer.Outcome.DIFFERENT,
                                withRows(restA, split.a()), withRows(restA0, split.a0()), attempt, "rows the change stream did not see change differ after " + attempt
                                + " re-check(s)"));
                    }
                    lastRestDelta = delta;
                    untilA = split.a().after();
                    untilA0 = split.a0().after();
                    continue;
                }
                restSame = true;
                rowsA = restA.rows() + split.a().rows().size();
                rowsA0 = restA0.rows() + split.a0().rows().size();
            }
            Map<String, String> differing = differing(split.a().rows(), split.a0().rows());
            if (differing.isEmpty()) {
                byStream++;
                return Optional.of(new ChunkComparer.Result(ChunkComparer.Outcome.SAME,
                        new ChunkDigest(rowsA, 0, 0, split.a().millis()),
                        new ChunkDigest(rowsA0, 0, 0, split.a0().millis()), attempt, ""));
            }
            if (differing.equals(lastDiffering)) {
                byStream++;
                return Optional.of(new ChunkComparer.Result(ChunkComparer.Outcome.DIFFERENT, first.a().digest(),
                        first.a0().digest(), attempt, differing.size() + " changed row(s) differ the same way after "
                        + attempt + " re-check(s)"));
            }
            lastDiffering = differing;
            keys = keysOf(split, differing.keySet());
        }
        byStream++;
        return Optional.of(new ChunkComparer.Result(ChunkComparer.Outcome.HOT, first.a().digest(), first.a0().digest(),
                settings.recheckMaxAttempts(), "rows the change stream shows changing still differed after "
                + settings.recheckMaxAttempts() + " re-check(s)"));
    }

    private static ChunkDigest withRows(ChunkDigest rest, Split split) {
        return new ChunkDigest(rest.rows() + split.rows().size(), rest.high(), rest.low(), split.millis());
    }

    /** Counts a differing chunk re-checked by whole-chunk re-reads. */
    void countWholeChunk() {
        wholeChunk++;
    }

    private Optional<ChunkComparer.Result> fallBack(String why) {
        lastFallback = why;
        return Optional.empty();
    }

    /** Exact key to the two hashes, for rows whose hash differs or that one side lacks. */
    static Map<String, String> differing(Map<String, RowHashes.Entry> a, Map<String, RowHashes.Entry> a0) {
        Map<String, String> differing = new LinkedHashMap<>();
        Set<String> keys = new LinkedHashSet<>(a.keySet());
        keys.addAll(a0.keySet());
        for (String key : keys) {
            String onA = a.containsKey(key) ? a.get(key).hash() : null;
            String onA0 = a0.containsKey(key) ? a0.get(key).hash() : null;
            if (!Objects.equals(onA, onA0)) {
                differing.put(key, onA + "/" + onA0);
            }
        }
        return differing;
    }

    private static KeySet keysOf(BothServers.Both<Split> split, Set<String> exactKeys) {
        List<List<String>> keys = new ArrayList<>();
        for (String exact : exactKeys) {
            RowHashes.Entry e = split.a().rows().containsKey(exact) ? split.a().rows().get(exact) : split.a0().rows().get(exact);
            keys.add(e.key().toStrings());
        }
        return new KeySet(keys);
    }
}
