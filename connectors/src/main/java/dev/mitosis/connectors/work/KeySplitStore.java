package dev.mitosis.connectors.work;

import dev.mitosis.connectors.kafka.CompactedTopic;
import dev.mitosis.connectors.kafka.KafkaClients;

import java.time.Duration;
import java.util.Optional;

/**
 * The key splits of divided tables, on {@code <prefix>.work.splits} keyed by the table's unit name
 * ({@code purge/2/app.users}, {@code verify/0/app.users}). A split is written once, by the owner of the table's
 * range 0, and never changed, so every process works on the same ranges however the units move; the other
 * ranges' owners wait until it is readable.
 */
public final class KeySplitStore {

    private final CompactedTopic topic;

    public KeySplitStore(KafkaClients clients, Duration timeout) {
        this.topic = new CompactedTopic(clients, clients.topics().workSplits(), timeout);
    }

    /** Creates the topic if it is missing. */
    public void ensureExists() {
        topic.ensureExists();
    }

    /** The split stored for a table unit, if one was. */
    public Optional<KeySplit> read(String tableUnit) {
        return Optional.ofNullable(topic.latestByKey().get(tableUnit)).map(KeySplit::fromJson);
    }

    /** Stores a table unit's split, acknowledged by the broker before it returns. */
    public void publish(String tableUnit, KeySplit split) {
        topic.send(tableUnit, split.toJson());
    }
}
