package dev.mitosis.verifier.internal;

import dev.mitosis.connectors.mariadb.GtidPosition;
import dev.mitosis.verifier.ChangedRows;
import dev.mitosis.verifier.VerifySettings;

import java.sql.SQLException;
import java.util.Objects;
import java.util.Optional;

/**
 * Compares one chunk on both servers and re-checks a difference under live writes. The first read is the ordered
 * digest (cheapest; equal means SAME); a difference is read again as the per-row digest, whose XOR delta the
 * re-checks need. Before each re-read, each
 * server waits until it applied the transactions the other had written at the time of the last read (its own
 * GTID domain only). A difference whose XOR delta stays the same across two re-reads is stable, i.e. real; one
 * that keeps changing past {@code recheck.max.attempts} is hot; one a server could not catch up on is unverified.
 */
public final class ChunkComparer {

    /** How a chunk compared. */
    public enum Outcome {
        /** Same rows on both. */
        SAME,
        /** A difference that survived catch-up and stayed the same: to be narrowed to rows. */
        DIFFERENT,
        /** Still changing after every re-check. */
        HOT,
        /** A server did not apply the other's transactions in time (replication stopped or far behind). */
        UNVERIFIED
    }

    /**
     * The result of one chunk.
     *
     * @param outcome  same, different, hot or unverified
     * @param a        A's last digest
     * @param a0       A0's last digest
     * @param rechecks how many re-reads were needed
     * @param reason   why it is not SAME, for the report
     */
    public record Result(Outcome outcome, ChunkDigest a, ChunkDigest a0, int rechecks, String reason) {
    }

    private final BothServers servers;
    private final VerifySettings settings;
    private final StreamRecheck stream;

    public ChunkComparer(BothServers servers, VerifySettings settings, ChangedRows changes) {
        this.servers = servers;
        this.settings = settings;
        this.stream = new StreamRecheck(servers, settings, changes, this);
    }

    /** How re-checks went so far: by the change stream, or by whole-chunk re-reads and why. */
    public StreamRecheck.Tally recheckTally() {
        return stream.tally();
    }

    /** Compares {@code range} of {@code shape}, re-checking as needed. */
    public Result compare(TableShape shape, KeyRange range) throws SQLException {
        boolean useStream = stream.usableFor(shape);
        BothServers.Both<Optional<ChunkDigest>> quick = servers.run(s -> s.orderedChecksum(shape, range));
        if (quick.a().isPresent() && quick.a0().isPresent() && quick.a().get().sameRows(quick.a0().get())) {
            return new Result(Outcome.SAME, quick.a().get(), quick.a0().get(), 0, "");
        }
        // Differs (or a digest was cut short): the per-row digest, whose delta tells a stable difference, decides.
        BothServers.Both<Read> read = servers.run(s -> Read.of(s, shape, range, useStream));
        if (read.a().digest().sameRows(read.a0().digest())) {
            return new Result(Outcome.SAME, read.a().digest(), read.a0().digest(), 0, "");
        }
        if (useStream) {
            Optional<Result> byStream = stream.recheck(shape, range, read);
            if (byStream.isPresent()) {
                return byStream.get();
            }
        }
        stream.countWholeChunk();
        return wholeChunk(shape, range, read);
    }

    /** Re-reads the whole chunk after each catch-up until its delta holds still, or attempts run out. */
    Result wholeChunk(TableShape shape, KeyRange range, BothServers.Both<Read> first) throws SQLException {
        BothServers.Both<Read> read = first;
        String lastDelta = null;
        for (int attempt = 0; ; attempt++) {
            if (read.a().digest().sameRows(read.a0().digest())) {
                return new Result(Outcome.SAME, read.a().digest(), read.a0().digest(), attempt, "");
            }
            String delta = read.a().digest().deltaFrom(read.a0().digest());
            if (Objects.equals(delta, lastDelta)) {
                return new Result(Outcome.DIFFERENT, read.a().digest(), read.a0().digest(), attempt,
                        "differs after " + attempt + " re-check(s) with a stable delta");
            }
            if (attempt >= settings.recheckMaxAttempts()) {
                return new Result(Outcome.HOT, read.a().digest(), read.a0().digest(), attempt,
                        "still changing after " + attempt + " re-check(s)");
            }
            lastDelta = delta;
            if (!catchUp(read.a().ownPosition(), read.a0().ownPosition())) {
                return unverified(read, attempt);
            }
            read = servers.run(s -> Read.of(s, shape, range, false));
        }
    }

    Result unverified(BothServers.Both<Read> read, int attempt) {
        return new Result(Outcome.UNVERIFIED, read.a().digest(), read.a0().digest(), attempt,
                "a server did not apply the other's transactions within " + settings.recheckWait().toMillis() + " ms");
    }

    /** Each server waits for what the other had written by its read. */
    public boolean catchUp(GtidPosition ofA, GtidPosition ofA0) throws SQLException {
        BothServers.Both<Boolean> waited = servers.run(s -> s == servers.a()
                ? s.awaitApplied(ofA0, settings.recheckWait())
                : s.awaitApplied(ofA, settings.recheckWait()));
        return waited.a() && waited.a0();
    }

    /**
     * A digest and the server's positions around it.
     *
     * @param before      {@code gtid_binlog_pos} before the read (empty when not asked for): where a change-stream
     *                    window starts
     * @param after       {@code gtid_binlog_pos} right after the read
     * @param ownPosition the server's own domain of {@code after}: what the other must apply before a re-read
     */
    record Read(ChunkDigest digest, GtidPosition before, GtidPosition after, GtidPosition ownPosition) {
        static Read of(ServerSession s, TableShape shape, KeyRange range, boolean withBefore) throws SQLException {
            GtidPosition before = withBefore ? s.gtidBinlogPos() : GtidPosition.empty();
            ChunkDigest digest = s.checksum(shape, range);
            GtidPosition after = s.gtidBinlogPos();
            return new Read(digest, before, after, after.onlyDomain(s.ownDomain()));
        }
    }
}
