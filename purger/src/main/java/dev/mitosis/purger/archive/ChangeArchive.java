package dev.mitosis.purger.archive;

import dev.mitosis.connectors.events.ChangeEvent;
import dev.mitosis.connectors.events.ChangeEventReader;
import dev.mitosis.connectors.events.DuplicateFilter;
import dev.mitosis.connectors.kafka.KafkaClients;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Reads one change topic — one server's binlog history of one table — from its first record to the end it had when
 * the read began, handing each event once: capture is at-least-once, and {@link DuplicateFilter} drops the replays.
 * Nothing is committed; every call uses a fresh consumer without a group position. Bounded: the read stops with
 * {@link ArchiveUnreadableException} when no record arrives for the timeout while the end is not reached.
 */
public final class ChangeArchive {

    /** What the reader hands each event to. */
    @FunctionalInterface
    public interface Sink {
        void accept(ChangeEvent event) throws Exception;
    }

    /** What one read saw. */
    public record ReadStats(boolean topicExists, long records, long duplicates) {
    }

    private final KafkaClients clients;
    private final ChangeEventReader reader;
    private final Duration timeout;

    /**
     * @param timeout how long a poll may bring nothing before the read gives up, and the bound of metadata calls
     */
    public ChangeArchive(KafkaClients clients, ChangeEventReader reader, Duration timeout) {
        this.clients = Objects.requireNonNull(clients, "clients");
        this.reader = Objects.requireNonNull(reader, "reader");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    /** The change topic of {@code schema.table} as captured from {@code server}. */
    public String topic(String server, String schema, String table) {
        return clients.topics().changes(server, schema, table);
    }

    /**
     * Reads {@code topic} from the beginning to its current end, handing each first-seen event to {@code sink} in
     * the order of each partition.
     *
     * @return what was read; a topic that does not exist (nothing ever captured for the table) reads as empty
     * @throws ArchiveUnreadableException when the broker does not answer or the end is not reached in time
     */
    public ReadStats read(String topic, Sink sink) throws Exception {
        DuplicateFilter duplicates = new DuplicateFilter();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(KafkaClients.with(
                clients.consumerProperties("mitosis-archive-" + UUID.randomUUID(), "mitosis-archive"),
                Map.of("enable.auto.commit", "false")))) {
            Map<String, List<PartitionInfo>> topics;
            try {
                topics = consumer.listTopics(timeout);
            } catch (TimeoutException e) {
                throw new ArchiveUnreadableException("Kafka at " + clients.settings().bootstrapServersProperty()
                        + " did not list topics within " + timeout.toMillis() + " ms");
            }
            List<PartitionInfo> partitions = topics.get(topic);
            if (partitions == null || partitions.isEmpty()) {
                return new ReadStats(false, 0, 0);
            }
            List<TopicPartition> assigned = partitions.stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(assigned);
            consumer.seekToBeginning(assigned);
            Map<TopicPartition, Long> end = consumer.endOffsets(assigned, timeout);
            long records = 0;
            long dropped = 0;
            long lastProgress = System.nanoTime();
            while (!reachedEnd(consumer, end)) {
                var batch = consumer.poll(Duration.ofMillis(200));
                if (batch.isEmpty()) {
                    if (System.nanoTime() - lastProgress > timeout.toNanos()) {
                        throw new ArchiveUnreadableException("no record of " + topic + " arrived for "
                                + timeout.toMillis() + " ms before its end " + end);
                    }
                    continue;
                }
                lastProgress = System.nanoTime();
                for (ConsumerRecord<byte[], byte[]> record : batch) {
                    TopicPartition tp = new TopicPartition(record.topic(), record.partition());
                    if (record.offset() >= end.getOrDefault(tp, 0L)) {
                        continue;
                    }
                    records++;
                    ChangeEvent event = reader.read(record);
                    if (duplicates.firstTime(record.topic() + "-" + record.partition(), event)) {
                        sink.accept(event);
                    } else {
                        dropped++;
                    }
                }
            }
            return new ReadStats(true, records, dropped);
        }
    }

    private boolean reachedEnd(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey(), timeout) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    /** The archive could not be read to its end: the broker is down or slow. */
    public static final class ArchiveUnreadableException extends Exception {
        private static final long serialVersionUID = 1L;

        public ArchiveUnreadableException(String message) {
            super(message);
        }
    }
}
