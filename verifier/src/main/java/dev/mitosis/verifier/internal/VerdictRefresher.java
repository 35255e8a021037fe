package dev.mitosis.verifier.internal;

import dev.mitosis.connectors.mariadb.GtidPosition;
import dev.mitosis.verifier.ChangedRows;
import dev.mitosis.verifier.RowDifference;
import dev.mitosis.verifier.TableRange;
import dev.mitosis.verifier.VerifySettings;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Keeps a PASS fresh from the change stream: the rows that changed since the positions the PASS holds for are
 * re-read on both servers after each applied the other's writes, and if they all agree the PASS holds at the new
 * positions. Rows that keep differing the same way are differences; rows still changing after every re-check leave
 * the verdict UNKNOWN.
 */
public final class VerdictRefresher {

    /**
     * What one refresh found.
     *
     * @param kind        PASS (every changed row agrees), FAIL (rows differ), UNKNOWN (see {@code reason})
     * @param gtidA       A's position the outcome holds for
     * @param gtidA0      A0's position the outcome holds for
     * @param rowsChecked changed rows re-read
     * @param differences the differing rows (FAIL)
     * @param reason      why UNKNOWN, or empty
     * @param differencesByEntry the differing rows by the table or key range ({@link TableRange#name()}) holding them
     */
    public record Outcome(Kind kind, GtidPosition gtidA, GtidPosition gtidA0, long rowsChecked,
                          List<RowDifference> differences, String reason,
                          Map<String, List<RowDifference>> differencesByEntry) {
    }

    /** The three outcomes. */
    public enum Kind { PASS, FAIL, UNKNOWN }

    private final BothServers servers;
    private final VerifySettings settings;
    private final ChangedRows changes;
    private final ChunkComparer comparer;
    private final Map<String, TableShape> shapes = new HashMap<>();

    public VerdictRefresher(BothServers servers, VerifySettings settings, ChangedRows changes) {
        this.servers = servers;
        this.settings = settings;
        this.changes = changes;
        this.comparer = new ChunkComparer(servers, settings, ChangedRows.NONE);
    }

    /** Both servers' {@code gtid_binlog_pos} now. */
    public BothServers.Both<GtidPosition> positions() throws SQLException {
        return servers.run(ServerSession::gtidBinlogPos);
    }

    /**
     * Re-checks the rows of {@code tables} changed after {@code sinceA}/{@code sinceA0}.
     *
     * @return the outcome, or empty when the stream cannot answer (the verdict then just ages)
     */
    public Optional<Outcome> refresh(List<String> tables, GtidPosition sinceA, GtidPosition sinceA0)
            throws SQLException {
        return refreshRanges(tables.stream().map(TableRange::whole).toList(), sinceA, sinceA0);
    }

    /**
     * Re-checks the rows changed after {@code sinceA}/{@code sinceA0} that fall in {@code ranges}: a changed row is
     * re-checked only by the range that holds it, so processes sharing a table never report it twice.
     *
     * @return the outcome, or empty when the stream cannot answer (the verdict then just ages)
     */
    public Optional<Outcome> refreshRanges(List<TableRange> ranges, GtidPosition sinceA, GtidPosition sinceA0)
            throws SQLException {
        List<String> problems = new ArrayList<>();
        for (List<String> p : List.of(servers.a().replicationProblems(), servers.a0().replicationProblems())) {
            problems.addAll(p);
        }
        BothServers.Both<GtidPosition> now = positions();
        if (!problems.isEmpty()) {
            return Optional.of(unknown(now, 0, problems.get(0) + ": while replication is not running both ways no"
                    + " verdict can be PASS"));
        }
        // Both servers hold every transaction of both positions before a row is read.
        if (!comparer.catchUp(now.a().onlyDomain(servers.a().ownDomain()), now.a0().onlyDomain(servers.a0().ownDomain()))) {
            return Optional.of(unknown(now, 0, "a server did not apply the other's transactions within "
                    + settings.recheckWait().toMillis() + " ms"));
        }
        long checked = 0;
        List<RowDifference> differences = new ArrayList<>();
        Map<String, List<RowDifference>> byEntry = new LinkedHashMap<>();
        for (TableRange range : ranges) {
            TableShape shape = shape(range.table());
            if (shape == null) {
                continue;
            }
            List<String> keyNames = shape.keyColumns().stream().map(Column::name).toList();
            Optional<Set<List<String>>> changed = changes.changed(shape.schema(), shape.table(), keyNames,
                    new ChangedRows.Window(sinceA, sinceA0, now.a(), now.a0()), settings.recheckWait());
            if (changed.isEmpty()) {
                return Optional.empty();
            }
            if (changed.get().isEmpty()) {
                continue;
            }
            checked += changed.get().size();
            KeyRange within = new KeyRange(
                    range.span().lowerExclusive().map(k -> KeyBound.fromStrings(k, shape.keyColumns())),
                    range.span().upperInclusive().map(k -> KeyBound.fromStrings(k, shape.keyColumns())));
            List<RowDifference> found = new ArrayList<>();
            Optional<String> hot = recheckRows(shape, KeySet.of(changed.get()), within, found);
            if (hot.isPresent()) {
                return Optional.of(unknown(now, checked, hot.get()));
            }
            differences.addAll(found);
            if (!found.isEmpty()) {
                byEntry.put(range.name(), found);
            }
        }
        Kind kind = differences.isEmpty() ? Kind.PASS : Kind.FAIL;
        return Optional.of(new Outcome(kind, now.a(), now.a0(), checked, differences, "", byEntry));
    }

    private Outcome unknown(BothServers.Both<GtidPosition> now, long checked, String reason) {
        return new Outcome(Kind.UNKNOWN, now.a(), now.a0(), checked, List.of(), reason, Map.of());
    }

    /**
     * Re-reads the rows until they agree or hold still; adds those that hold still differing.
     *
     * @return why the rows are hot, or empty
     */
    private Optional<String> recheckRows(TableShape shape, KeySet keys, KeyRange within,
                                         List<RowDifference> differences) throws SQLException {
        KeySet reread = keys;
        Map<String, String> last = null;
        for (int attempt = 0; attempt <= settings.recheckMaxAttempts(); attempt++) {
            KeySet now = reread;
            BothServers.Both<LinkedHashMap<String, RowHashes.Entry>> rows =
                    servers.run(s -> RowHashes.list(s, shape,
                            within.predicate(shape.keyColumns()).and(now.in(shape.keyColumns())), now.size() * 2));
            Map<String, String> differing = StreamRecheck.differing(rows.a(), rows.a0());
            if (differing.isEmpty()) {
                return Optional.empty();
            }
            if (differing.equals(last)) {
                for (String key : differing.keySet()) {
                    RowHashes.Entry any = rows.a().containsKey(key) ? rows.a().get(key) : rows.a0().get(key);
                    BothServers.Both<Optional<RowValues>> values =
                            servers.run(s -> Optional.ofNullable(RowValues.read(s, shape, any)));
                    RowDifference d = RowNarrower.classify(shape, any, values.a().orElse(null), values.a0().orElse(null));
                    if (d != null) {
                        differences.add(d);
                    }
                }
                return Optional.empty();
            }
            last = differing;
            List<List<String>> again = new ArrayList<>();
            for (String key : differing.keySet()) {
                RowHashes.Entry e = rows.a().containsKey(key) ? rows.a().get(key) : rows.a0().get(key);
                again.add(e.key().toStrings());
            }
            reread = new KeySet(again);
            BothServers.Both<GtidPosition> own = servers.run(ServerSession::ownPosition);
            if (!comparer.catchUp(own.a(), own.a0())) {
                return Optional.of("a server did not apply the other's transactions within "
                        + settings.recheckWait().toMillis() + " ms");
            }
        }
        return Optional.of(reread.size() + " changed row(s) of " + shape.qualifiedName() + " still changing after "
                + settings.recheckMaxAttempts() + " re-check(s)");
    }

    private TableShape shape(String table) throws SQLException {
        if (!shapes.containsKey(table)) {
            String schema = table.substring(0, table.indexOf('.'));
            String name = table.substring(table.indexOf('.') + 1);
            TableShape shape = TableCatalog.shape(servers.a().connection(), schema, name)
                    .filter(s -> s.hasPrimaryKey() && KeySet.supports(s)).orElse(null);
            shapes.put(table, shape);
        }
        return shapes.get(table);
    }

    /** Whether every table can be refreshed from the stream (a key the stream cannot name needs full passes). */
    public Optional<String> unsupported(List<String> tables) throws SQLException {
        for (String table : tables) {
            if (shape(table) == null) {
                return Optional.of(table + " has no key the change stream names exactly (numbers and text only)");
            }
        }
        return Optional.empty();
    }
}
