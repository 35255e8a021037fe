package dev.mitosis.purger.undo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mitosis.connectors.events.ChangeEvent;
import dev.mitosis.connectors.events.Op;
import dev.mitosis.connectors.time.Sleeper;
import dev.mitosis.purger.ArchiveCheck;
import dev.mitosis.purger.CaptureStatusSource;
import dev.mitosis.purger.PurgeTarget;
import dev.mitosis.purger.archive.ChangeArchive;
import dev.mitosis.purger.archive.StatementTag;
import dev.mitosis.purger.internal.ArchiveWaiter;
import dev.mitosis.purger.proof.PurgeCheckpoints;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Undoes the purge of one table on one new shard from the archive: every delete this server made with the purger's
 * tag for the table is read back from its change topic (de-duplicated) and its before-image re-inserted, unless a
 * row with that primary key exists now — a row written since the purge is never overwritten. Chunks of
 * {@code chunkRows} rows, each its own short transaction, so memory stays bounded and a re-run after a stop skips
 * what is already back.
 *
 * <p>Before writing anything it checks the archive is complete: capture must cover the server's position (which
 * includes the purge's last chunk) and the archive must hold at least as many purge-tagged deletes as the purger
 * recorded. Otherwise it refuses, unless told to restore what there is.
 */
public final class PurgeUndo {

    /** How many conflicts a report keeps; the count is exact. */
    static final int SAMPLES = 10;

    private final PurgeTarget target;
    private final String schema;
    private final String table;
    private final ChangeArchive archive;
    private final CaptureStatusSource capture;
    private final Duration captureWait;
    private final Clock clock;
    private final Sleeper sleeper;
    private final boolean allowIncomplete;
    private final int chunkRows;
    private final UndoListener listener;

    /**
     * @param capture         capture's newest status of the target's server
     * @param allowIncomplete restore what the archive holds even when it may be incomplete
     * @param chunkRows       rows per transaction
     */
    public PurgeUndo(PurgeTarget target, String schema, String table, ChangeArchive archive,
                     CaptureStatusSource capture, Duration captureWait, Clock clock, Sleeper sleeper,
                     boolean allowIncomplete, int chunkRows, UndoListener listener) {
        this.target = Objects.requireNonNull(target, "target");
        this.schema = Objects.requireNonNull(schema, "schema");
        this.table = Objects.requireNonNull(table, "table");
        this.archive = Objects.requireNonNull(archive, "archive");
        this.capture = Objects.requireNonNull(capture, "capture");
        this.captureWait = Objects.requireNonNull(captureWait, "captureWait");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.allowIncomplete = allowIncomplete;
        if (chunkRows < 1) {
            throw new IllegalArgumentException("chunk rows " + chunkRows + " must be >= 1");
        }
        this.chunkRows = chunkRows;
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /**
     * Runs the undo.
     *
     * @throws IllegalArgumentException when the table does not exist, has no primary key or a column type the undo
     *                                  cannot restore
     * @throws ChangeArchive.ArchiveUnreadableException when the archive cannot be read to its end
     */
    public UndoReport run() throws Exception {
        String qualified = schema + "." + table;
        TableColumns columns;
        long reported;
        try (Connection c = target.sessions().open()) {
            columns = TableColumns.of(c, schema, table);
            reported = PurgeCheckpoints.of(c, target.newShard(), schema, table)
                    .map(PurgeCheckpoints.Recorded::rowsDeleted).orElse(0L);
        }
        for (TableColumns.Column column : columns.columns()) {
            if (!ImageValues.supported(column)) {
                throw new IllegalArgumentException("column " + qualified + "." + column.name() + " has type "
                        + column.columnType() + ", which the undo cannot restore from the archive");
            }
        }
        listener.said("waiting up to " + captureWait.toSeconds() + " s for capture to cover the position of "
                + target.serverName());
        ArchiveCheck check = new ArchiveWaiter(target.serverName(), target.sessions(), capture, clock, sleeper)
                .await(captureWait);
        Optional<String> gap = check.archived() ? Optional.empty() : Optional.of(check.reason());
        String topic = archive.topic(target.serverName(), schema, table);
        long[] tagged = {0};
        archive.read(topic, e -> {
            if (purgeDelete(e, qualified)) {
                tagged[0]++;
            }
        });
        listener.said("archive " + topic + ": " + tagged[0] + " purge-tagged deletes; the purger recorded "
                + reported + " deleted");
        List<String> doubts = new ArrayList<>();
        gap.ifPresent(doubts::add);
        if (tagged[0] < reported) {
            doubts.add("the archive holds " + tagged[0] + " purge-tagged deletes of " + qualified
                    + " but the purger recorded " + reported + ": the archive is incomplete");
        }
        if (!doubts.isEmpty() && !allowIncomplete) {
            return new UndoReport(target.newShard(), target.serverName(), qualified, topic, check.position(), gap,
                    reported, tagged[0], 0, 0, 0, List.of(), Optional.of(String.join("; ", doubts)
                            + " (--allow-incomplete restores what the archive holds)"));
        }
        doubts.forEach(d -> listener.said("restoring anyway (--allow-incomplete): " + d));
        Apply apply = new Apply(new RowRestorer(target.sessions(), columns, target.newShard()), qualified);
        archive.read(topic, apply::accept);
        apply.flush();
        return new UndoReport(target.newShard(), target.serverName(), qualified, topic, check.position(), gap,
                reported, apply.seen, apply.restored, apply.existing, apply.conflicts, apply.samples,
                Optional.empty());
    }

    private boolean purgeDelete(ChangeEvent event, String qualified) {
        if (event.replicated() || event.op() != Op.DELETE || event.before().isEmpty()) {
            return false;
        }
        return event.statement().flatMap(StatementTag::in)
                .filter(t -> t.purge() && t.newShard() == target.newShard() && t.names(qualified)).isPresent();
    }

    /** The second pass: buffers before-images by primary key and restores them a chunk at a time. */
    private final class Apply {
        private final RowRestorer restorer;
        private final String qualified;
        private final Map<String, ObjectNode> pending = new LinkedHashMap<>();
        private final List<String> samples = new ArrayList<>();
        private long seen;
        private long restored;
        private long existing;
        private long conflicts;

        Apply(RowRestorer restorer, String qualified) {
            this.restorer = restorer;
            this.qualified = qualified;
        }

        void accept(ChangeEvent event) throws SQLException {
            if (!purgeDelete(event, qualified)) {
                return;
            }
            seen++;
            ObjectNode image = event.before().orElseThrow();
            // A key purged twice in one chunk (purged, restored, purged again): the later image is the one to restore.
            pending.remove(restorer.keyOf(image));
            pending.put(restorer.keyOf(image), image);
            if (pending.size() >= chunkRows) {
                flush();
            }
        }

        void flush() throws SQLException {
            if (pending.isEmpty()) {
                return;
            }
            if (Thread.currentThread().isInterrupted()) {
                throw new SQLException("interrupted: rows restored so far stay; a re-run skips them");
            }
            RowRestorer.ChunkResult chunk = restorer.restore(pending.values());
            pending.clear();
            restored += chunk.restored();
            existing += chunk.existing();
            conflicts += chunk.conflicts().size();
            for (String conflict : chunk.conflicts()) {
                if (samples.size() < SAMPLES) {
                    samples.add(conflict);
                }
            }
            listener.chunk(seen, restored, existing + conflicts);
        }
    }
}
