package dev.mitosis.connectors.work;

import dev.mitosis.connectors.kafka.CompactedTopic;
import dev.mitosis.connectors.kafka.KafkaClients;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The key splits of divided tables, on {@code <prefix>.work.splits} keyed by the table's unit name
 * ({@code purge/2/app.users}, {@code verify/0/app.users}). A split is made by the owner of the table's range 0 when
 * none is stored; the other ranges' owners wait until it is readable. The first split stored for a unit (and a
 * number of parts) is everybody's, for good: should two owners of range 0 store one each during a hand-over, both
 * read back the first, so no two processes ever work on ranges of different cuts (whose union could leave keys
 * out). The topic keeps every record, since compaction would remove the first once a second came.
 */
public final class KeySplitStore {

    private final CompactedTopic topic;

    public KeySplitStore(KafkaClients clients, Duration timeout) {
        this.topic = new CompactedTopic(clients, clients.topics().workSplits(), timeout);
    }

    /** Creates the topic if it is missing. */
    public void ensureExists() {
        topic.ensureExistsKeepingEveryRecord();
    }

    /** The first split stored for a table unit, if one was. */
    public Optional<KeySplit> read(String tableUnit) {
        return first(tableUnit, split -> true);
    }

    /** The first split in {@code parts} ranges stored for a table unit, if one was. */
    public Optional<KeySplit> read(String tableUnit, int parts) {
        return first(tableUnit, split -> split.parts() == parts);
    }

    private Optional<KeySplit> first(String tableUnit, Predicate<KeySplit> wanted) {
        for (CompactedTopic.Entry entry : topic.readAll()) {
            if (tableUnit.equals(entry.keyText()) && entry.value() != null) {
                KeySplit split = KeySplit.fromJson(entry.value());
                if (wanted.test(split)) {
                    return Optional.of(split);
                }
            }
        }
        return Optional.empty();
    }

    /** Stores a table unit's split, acknowledged by the broker before it returns. */
    public void publish(String tableUnit, KeySplit split) {
        topic.send(tableUnit, split.toJson());
    }
}
