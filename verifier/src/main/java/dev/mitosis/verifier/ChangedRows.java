package dev.mitosis.verifier;

import dev.mitosis.connectors.mariadb.GtidPosition;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The change stream as the verifier needs it: which primary keys of a table changed on either server of the pair
 * between two GTID positions. {@link KafkaChangedRows} reads it from capture's change topics.
 *
 * <p>The stream only decides which rows are re-read one by one and which together; every verdict still rests on
 * reads of both servers, so a stream that misses a change can at worst cost a re-check, never make a PASS.
 */
public interface ChangedRows extends AutoCloseable {

    /** No change stream: re-checks read whole chunks after MASTER_GTID_WAIT alone. */
    ChangedRows NONE = new ChangedRows() {
        @Override
        public Optional<String> unavailable() {
            return Optional.of("no change stream configured");
        }

        @Override
        public void follow(String schema, String table) {
        }

        @Override
        public Optional<Set<List<String>>> changed(String schema, String table, List<String> keyColumns,
                                                   Window window, Duration wait) {
            return Optional.empty();
        }

        @Override
        public void close() {
        }
    };

    /**
     * Changes to look for: those each server's binlog holds after {@code since} and up to {@code until} (the stream
     * must hold every change up to {@code until} before it may answer).
     *
     * @param sinceA  A's {@code gtid_binlog_pos} before the first read
     * @param sinceA0 A0's {@code gtid_binlog_pos} before the first read
     * @param untilA  A's {@code gtid_binlog_pos} after the last read
     * @param untilA0 A0's {@code gtid_binlog_pos} after the last read
     */
    record Window(GtidPosition sinceA, GtidPosition sinceA0, GtidPosition untilA, GtidPosition untilA0) {
    }

    /** Why the stream cannot be used now (capture not running, stale or lagging), or empty when it can. */
    Optional<String> unavailable();

    /**
     * Starts following the table's change topics on both servers, from their ends now. Changes are only known from
     * the moment a table is followed, so this is called before the positions a {@link Window} starts at are read.
     * Idempotent.
     */
    void follow(String schema, String table);

    /**
     * The keys of {@code schema.table} changed within {@code window}, each as its key values in
     * {@code keyColumns} order as text.
     *
     * @param wait how long to wait for the stream to hold every change up to the window's end
     * @return empty when the stream cannot answer for that window (not followed early enough, or capture did not
     *         reach its end within {@code wait})
     */
    Optional<Set<List<String>>> changed(String schema, String table, List<String> keyColumns, Window window,
                                        Duration wait);

    /** Releases clients; idempotent. */
    @Override
    void close();
}
