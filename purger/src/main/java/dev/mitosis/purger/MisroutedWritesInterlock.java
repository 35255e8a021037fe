package dev.mitosis.purger;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mitosis.connectors.capture.CaptureStatus;
import dev.mitosis.connectors.events.ChangeEvent;
import dev.mitosis.connectors.events.ChangeEventReader;
import dev.mitosis.connectors.events.IntegerValue;
import dev.mitosis.connectors.events.Op;
import dev.mitosis.connectors.kafka.KafkaClients;
import dev.mitosis.connectors.mariadb.GtidPosition;
import dev.mitosis.connectors.shard.ShardMap;
import dev.mitosis.purger.internal.ArchiveWaiter;
import dev.mitosis.purger.internal.ChangeStreamTail;
import dev.mitosis.connectors.time.Sleeper;

import java.math.BigInteger;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * Interlock (3): since the flip, the change stream shows no write on the purged server to a uid its new shard does
 * not own, over the quiet window ({@code purge.quiet.window.ms}). Such a write means a routing client still sends
 * that uid here, and the purge would delete what it just wrote.
 *
 * <p>Reads the server's change topics of the purgeable tables, from {@code now - window} on the first check and
 * onwards on later ones. Counted are local writes only (with {@code log_slave_updates} the peer's writes sit in the
 * same binlog), made after the flip was published, outside the {@code _mitosis} schema, except the purger's own
 * tagged deletes ({@code mitosis-purge shard=S}). A write is misrouted when its shard key (after-image; before-image
 * for a delete) is not owned by the new shard: {@code floorMod(key, 2n) != S}, or not an integer. A NULL key is owned
 * by no shard and is never purged, so a write of one cannot be lost by the purge: it does not count.
 *
 * <p>Holds only if the quiet window has passed since the flip, no misrouted write is in the last window, and the
 * stream is known complete: capture's status covers the GTID position read from the server at the check
 * (otherwise "cannot tell" refuses). During a run, capture lagging and a read cut short by its budget do not
 * refuse (the throttle pauses for capture; the next check reads on); a misrouted write does.
 *
 * <p>Times compare the flip's {@code publishedAt}, binlog timestamps (second precision) and this host's clock: the
 * hosts' clocks must agree to well within the window.
 */
public final class MisroutedWritesInterlock implements Interlock {

    /** The interlock's name in refusals. */
    public static final String NAME = "no misrouted writes over purge.quiet.window.ms";
    /** Statement annotation of the purger's own deletes (see {@code SeekSql}). */
    static final String PURGE_TAG = "mitosis-purge shard=";
    private static final String MITOSIS_SCHEMA = "_mitosis";
    private static final Duration POLL = Duration.ofMillis(200);
    /** Binlog timestamps are whole seconds: a write stamped t happened in [t, t + 1 s). */
    private static final Duration BINLOG_TIME_PRECISION = Duration.ofSeconds(1);

    private final String server;
    private final ShardMap shardMap;
    private final int newShard;
    private final ServerSessions sessions;
    private final CaptureStatusSource capture;
    private final Supplier<Optional<Instant>> flipTime;
    private final ChangeStreamTail tail;
    private final BiFunction<String, String, Optional<String>> shardKey;
    private final Duration window;
    private final Duration startBudget;
    private final Clock clock;
    private final Sleeper sleeper;
    private MisroutedWrite last;
    private long eventsRead;

    /**
     * @param clients     the broker holding the change topics
     * @param target      the purged server
     * @param shardKey    the shard-key column of {@code (schema, table)}, empty for a broadcast table (the
     *                    config's table rules); tables with one are read
     * @param capture     capture's status of the server
     * @param flipTime    when the flip to 2n was published; empty when it was not
     * @param window      the quiet window
     * @param startBudget how long a check before the run may read and wait for capture
     */
    public MisroutedWritesInterlock(KafkaClients clients, PurgeTarget target,
                                    BiFunction<String, String, Optional<String>> shardKey, CaptureStatusSource capture,
                                    Supplier<Optional<Instant>> flipTime, Duration window, Duration startBudget,
                                    Clock clock, Sleeper sleeper) {
        this.server = target.serverName();
        this.shardMap = target.shardMap();
        this.newShard = target.newShard();
        this.sessions = target.sessions();
        this.capture = capture;
        this.flipTime = flipTime;
        this.tail = new ChangeStreamTail(clients, server,
                (schema, table) -> !MITOSIS_SCHEMA.equals(schema) && shardKey.apply(schema, table).isPresent(),
                new ChangeEventReader(shardKey),
                Duration.ofSeconds(5).compareTo(startBudget) < 0 ? Duration.ofSeconds(5) : startBudget);
        this.shardKey = shardKey;
        this.window = window;
        this.startBudget = startBudget;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public synchronized InterlockResult check() {
        return check(true);
    }

    @Override
    public synchronized InterlockResult checkDuringRun() {
        return check(false);
    }

    /** The newest misrouted write seen, if any (also one before the window). */
    public synchronized Optional<MisroutedWrite> lastMisrouted() {
        return Optional.ofNullable(last);
    }

    private InterlockResult check(boolean atStart) {
        try {
            return evaluate(atStart);
        } catch (SQLException e) {
            return InterlockResult.refused(NAME, "cannot tell: cannot read the GTID position of " + server + ": "
                    + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return InterlockResult.refused(NAME, "cannot tell: interrupted");
        } catch (RuntimeException e) {
            return InterlockResult.refused(NAME, "cannot tell: " + e.getMessage());
        }
    }

    private InterlockResult evaluate(boolean atStart) throws SQLException, InterruptedException {
        Instant now = clock.instant();
        Optional<Instant> flip = flipTime.get();
        if (flip.isEmpty()) {
            return InterlockResult.refused(NAME, "no flip to uid % " + shardMap.newShards() + " is recorded: a"
                    + " misrouted write is one that reached " + server + " after it");
        }
        Instant quietFrom = now.minus(window);
        Instant windowEnds = flip.get().plus(window);
        if (now.isBefore(windowEnds)) {
            return InterlockResult.refused(NAME, "the flip was published at " + flip.get() + "; the quiet window of "
                    + window.toMillis() + " ms since then ends at " + windowEnds + " (in "
                    + Duration.between(now, windowEnds).toMillis() + " ms)");
        }
        GtidPosition position = ArchiveWaiter.binlogPosition(sessions);
        Optional<String> incomplete = awaitCovered(position, atStart ? startBudget : Duration.ZERO);
        ChangeStreamTail.Read read = tail.read(quietFrom, atStart ? startBudget : Duration.ofSeconds(2),
                event -> consider(event, flip.get()));
        eventsRead += read.events();
        if (last != null && last.sourceTime().plus(BINLOG_TIME_PRECISION).isAfter(quietFrom)) {
            return InterlockResult.refused(NAME, "misrouted write: " + last + "; the stream must show none for "
                    + window.toMillis() + " ms, until " + last.sourceTime().plus(BINLOG_TIME_PRECISION).plus(window));
        }
        if (atStart && incomplete.isPresent()) {
            return InterlockResult.refused(NAME, "cannot tell: the change stream is not known complete: "
                    + incomplete.get());
        }
        if (atStart && !read.reachedEnd()) {
            return InterlockResult.refused(NAME, "cannot tell: read " + read.events() + " change events of " + server
                    + " in " + startBudget.toMillis() + " ms without reaching the end; check again to read on");
        }
        String seen = "no local write to a uid outside new shard " + newShard + " on " + server + " since "
                + quietFrom + " (" + read.partitions() + " change topic partitions, " + eventsRead
                + " events read so far)";
        if (incomplete.isPresent() || !read.reachedEnd()) {
            return InterlockResult.holds(NAME, seen + "; the stream is behind (" + incomplete.orElse("read cut short")
                    + "): read on at the next check");
        }
        return InterlockResult.holds(NAME, seen + "; the stream is complete up to " + position);
    }

    /** Empty once capture's status covers {@code position}, else why not, after waiting at most {@code wait}. */
    private Optional<String> awaitCovered(GtidPosition position, Duration wait) throws InterruptedException {
        long deadline = clock.millis() + wait.toMillis();
        while (true) {
            Optional<CaptureStatus> status = capture.latest();
            if (status.isPresent() && status.get().covers(position)) {
                return Optional.empty();
            }
            if (clock.millis() >= deadline) {
                return Optional.of(status.map(s -> "capture of " + server + " processed up to " + s.processedGtid()
                        + " (" + s.state() + ", reported " + s.publishedAt() + "), " + server + " is at " + position)
                        .orElse("capture of " + server + " has published no status"));
            }
            sleeper.sleep(POLL);
        }
    }

    private void consider(ChangeEvent event, Instant flip) {
        if (event.op() == Op.READ || event.replicated()
                || event.sourceTime().isBefore(flip.truncatedTo(java.time.temporal.ChronoUnit.SECONDS))) {
            return;
        }
        if (event.op() == Op.DELETE && event.statement().map(s -> s.contains(PURGE_TAG + newShard + " ")).orElse(false)) {
            return;
        }
        Optional<JsonNode> value = event.shardKeyValue();
        if (value.isEmpty() || value.get().isNull()) {
            return;
        }
        OptionalInt owner = owner(value.get());
        if (owner.isPresent() && owner.getAsInt() == newShard) {
            return;
        }
        MisroutedWrite write = new MisroutedWrite(server, event.qualifiedTable(), shardKey.apply(event.schema(), event.table()).orElse("shard key"),
                value.get().isTextual() ? value.get().asText() : value.get().toString(), opName(event.op()),
                event.gtid(), event.sourceTime(), owner.orElse(-1));
        if (last == null || !write.sourceTime().isBefore(last.sourceTime())) {
            last = write;
        }
    }

    private OptionalInt owner(JsonNode value) {
        Optional<BigInteger> key = integer(value);
        return key.isEmpty() ? OptionalInt.empty() : OptionalInt.of(shardMap.newShardOf(key.get()));
    }

    /**
     * The shard key as an integer: a JSON number, a decimal string ({@code decimal.handling.mode=string}), or the
     * base64 big-endian bytes Kafka Connect writes for a precise BIGINT UNSIGNED; empty if it is none of these.
     */
    static Optional<BigInteger> integer(JsonNode value) {
        try {
            return Optional.ofNullable(IntegerValue.of(value));
        } catch (IllegalArgumentException notAnInteger) {
            return Optional.empty();
        }
    }

    private static String opName(Op op) {
        return switch (op) {
            case CREATE -> "insert";
            case UPDATE -> "update";
            case DELETE -> "delete";
            case READ -> "read";
        };
    }
}
