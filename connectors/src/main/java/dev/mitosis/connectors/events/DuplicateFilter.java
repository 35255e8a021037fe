package dev.mitosis.connectors.events;

import java.util.HashMap;
import java.util.Map;

/**
 * Drops change events a consumer has already seen, as capture replays them after a restart (at-least-once). Each
 * partition of a change topic holds one server's events in binlog order, and a replay repeats a tail of that
 * order, so remembering the last binlog place seen per partition is enough: memory grows with partitions, not with
 * events. Snapshot rows have no binlog place and always pass.
 */
public final class DuplicateFilter {

    private final Map<String, EventId> lastSeen = new HashMap<>();

    /**
     * Whether {@code event}, read from {@code topicPartition} (e.g. {@code "topic-0"}), is new; remembers it if so.
     */
    public boolean firstTime(String topicPartition, ChangeEvent event) {
        EventId id = event.id();
        if (!id.fromBinlog()) {
            return true;
        }
        EventId last = lastSeen.get(topicPartition);
        if (last != null && last.server().equals(id.server()) && EventId.BINLOG_ORDER.compare(id, last) <= 0) {
            return false;
        }
        lastSeen.put(topicPartition, id);
        return true;
    }

    /** The last event passed for a partition, e.g. to checkpoint it. */
    public Map<String, EventId> lastSeen() {
        return Map.copyOf(lastSeen);
    }
}
