package dev.mitosis.verifier.internal;

import dev.mitosis.connectors.mariadb.GtidPosition;
import dev.mitosis.verifier.DifferenceKind;
import dev.mitosis.verifier.RowDifference;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Narrows a chunk that differs stably to its differing rows: lists per-row hashes on both servers page by page
 * (pages bounded by key seeks, so memory stays flat), re-reads each candidate after a catch-up so a row that was
 * only in flight drops out, and classifies what remains.
 */
public final class RowNarrower {

    /** Rows per page of listing. */
    static final int PAGE_ROWS = 2000;
    /** The most rows one server may list for one page (a page bounded by the other server's keys can be larger). */
    static final int LISTING_CAP = 50_000;
    /** Values longer than this are left out of reports (the repair statements still carry them). */
    static final int SHOWN_MAX_CHARS = 200;

    /**
     * What narrowing found in a range.
     *
     * @param differences rows that differ after re-checks
     * @param complete    whether every row of the range was listed (false: a page exceeded the listing cap)
     */
    public record Outcome(long differences, boolean complete) {
    }

    private final BothServers servers;
    private final ChunkComparer comparer;

    public RowNarrower(BothServers servers, ChunkComparer comparer) {
        this.servers = servers;
        this.comparer = comparer;
    }

    /** Finds the differing rows of {@code range} and hands each to {@code sink}. */
    public Outcome narrow(TableShape shape, KeyRange range, Consumer<RowDifference> sink) throws SQLException {
        long found = 0;
        boolean complete = true;
        Optional<KeyBound> lower = range.lower();
        while (true) {
            KeyRange rest = new KeyRange(lower, range.upper());
            BothServers.Both<Optional<ServerSession.Boundary>> next =
                    servers.run(s -> s.nextBoundary(shape, rest, PAGE_ROWS));
            Optional<KeyBound> pageUpper = full(next.a()).or(() -> full(next.a0()));
            KeyRange page = pageUpper.isPresent() ? new KeyRange(lower, pageUpper) : rest;
            BothServers.Both<LinkedHashMap<String, RowHashes.Entry>> rows =
                    servers.run(s -> RowHashes.list(s, shape, page, LISTING_CAP));
            if (rows.a().size() > LISTING_CAP || rows.a0().size() > LISTING_CAP) {
                complete = false;
            } else {
                found += confirm(shape, candidates(rows.a(), rows.a0()), sink);
            }
            if (pageUpper.isEmpty()) {
                return new Outcome(found, complete);
            }
            lower = pageUpper;
        }
    }

    private static Optional<KeyBound> full(Optional<ServerSession.Boundary> boundary) {
        return boundary.filter(b -> b.seen() >= PAGE_ROWS).map(ServerSession.Boundary::key);
    }

    /** Keys whose hash differs or that one side lacks, with the entry of each side (null where absent). */
    static Map<String, RowHashes.Entry[]> candidates(Map<String, RowHashes.Entry> a, Map<String, RowHashes.Entry> a0) {
        Map<String, RowHashes.Entry[]> differing = new LinkedHashMap<>();
        Set<String> keys = new LinkedHashSet<>(a.keySet());
        keys.addAll(a0.keySet());
        for (String key : keys) {
            RowHashes.Entry onA = a.get(key);
            RowHashes.Entry onA0 = a0.get(key);
            if (onA == null || onA0 == null || !onA.hash().equals(onA0.hash())) {
                differing.put(key, new RowHashes.Entry[] {onA, onA0});
            }
        }
        return differing;
    }

    private long confirm(TableShape shape, Map<String, RowHashes.Entry[]> candidates, Consumer<RowDifference> sink)
            throws SQLException {
        if (candidates.isEmpty()) {
            return 0;
        }
        BothServers.Both<GtidPosition> positions = servers.run(ServerSession::ownPosition);
        if (!comparer.catchUp(positions.a(), positions.a0())) {
            // Without catch-up a re-read proves nothing; report the candidates as listed.
            return report(shape, candidates, sink);
        }
        Map<String, RowHashes.Entry[]> confirmed = new LinkedHashMap<>();
        for (Map.Entry<String, RowHashes.Entry[]> c : candidates.entrySet()) {
            RowHashes.Entry any = c.getValue()[0] != null ? c.getValue()[0] : c.getValue()[1];
            BothServers.Both<String> now = servers.run(s -> Objects.requireNonNullElse(RowHashes.hashOf(s, shape, any), ""));
            if (!now.a().equals(now.a0())) {
                confirmed.put(c.getKey(), c.getValue());
            }
        }
        return report(shape, confirmed, sink);
    }

    private long report(TableShape shape, Map<String, RowHashes.Entry[]> rows, Consumer<RowDifference> sink)
            throws SQLException {
        long n = 0;
        for (RowHashes.Entry[] sides : rows.values()) {
            RowHashes.Entry any = sides[0] != null ? sides[0] : sides[1];
            BothServers.Both<Optional<RowValues>> values =
                    servers.run(s -> Optional.ofNullable(RowValues.read(s, shape, any)));
            RowDifference difference = classify(shape, any, values.a().orElse(null), values.a0().orElse(null));
            if (difference != null) {
                sink.accept(difference);
                n++;
            }
        }
        return n;
    }

    /** The difference between the two sides' versions of one row, or null if they are the same after all. */
    static RowDifference classify(TableShape shape, RowHashes.Entry row, RowValues a, RowValues a0) {
        String table = shape.qualifiedName();
        List<String> all = shape.columns().stream().map(Column::name).toList();
        if (a == null && a0 == null) {
            return null;
        }
        if (a0 == null) {
            return new RowDifference(table, row.keyShown(), DifferenceKind.ONLY_ON_A, all, shownOf(a, all), null,
                    RepairSql.replace(shape, a), RepairSql.delete(shape, a));
        }
        if (a == null) {
            return new RowDifference(table, row.keyShown(), DifferenceKind.ONLY_ON_A0, all, null, shownOf(a0, all),
                    RepairSql.delete(shape, a0), RepairSql.replace(shape, a0));
        }
        List<String> differing = new ArrayList<>();
        for (String column : all) {
            if (!a.exact().get(column).equals(a0.exact().get(column))) {
                differing.add(column);
            }
        }
        if (differing.isEmpty()) {
            return null;
        }
        return new RowDifference(table, row.keyShown(), DifferenceKind.COLUMNS_DIFFER, differing,
                shownOf(a, differing), shownOf(a0, differing),
                RepairSql.update(shape, differing, a, a0), RepairSql.update(shape, differing, a0, a));
    }

    private static Map<String, String> shownOf(RowValues row, List<String> columns) {
        Map<String, String> shown = new LinkedHashMap<>();
        for (String column : columns) {
            String v = row.shown().get(column);
            shown.put(column, v == null || v.length() <= SHOWN_MAX_CHARS ? v : v.substring(0, SHOWN_MAX_CHARS) + "…");
        }
        return shown;
    }
}
