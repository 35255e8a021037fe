package dev.mitosis.purger.internal;

import dev.mitosis.connectors.events.ChangeEvent;
import dev.mitosis.connectors.events.ChangeEventReader;
import dev.mitosis.connectors.kafka.KafkaClients;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Reads one server's change topics ({@code <prefix>.cdc.<server>.<schema>.<table>}) forward, read after read: a
 * partition seen for the first time starts at the first record stamped at or after a given time (Kafka's
 * {@code offsetsForTimes}), later reads go on from where the last one stopped. Each read ends at the end offsets the
 * broker reports at its start, or at its time budget, whichever comes first; the place reached is kept either way.
 * Not thread-safe.
 */
public final class ChangeStreamTail {

    /**
     * One read.
     *
     * @param events     change events read
     * @param partitions partitions read
     * @param reachedEnd whether every partition was read to the end offset taken at the start
     */
    public record Read(long events, int partitions, boolean reachedEnd) {
    }

    private final KafkaClients clients;
    private final String server;
    private final BiPredicate<String, String> inScope;
    private final ChangeEventReader reader;
    private final Duration timeout;
    private final Map<TopicPartition, Long> next = new HashMap<>();

    /**
     * @param inScope which {@code (schema, table)} topics to read
     * @param timeout how long one broker request may wait
     */
    public ChangeStreamTail(KafkaClients clients, String server, BiPredicate<String, String> inScope,
                            ChangeEventReader reader, Duration timeout) {
        this.clients = clients;
        this.server = server;
        this.inScope = inScope;
        this.reader = reader;
        this.timeout = timeout;
    }

    /**
     * Reads every change from where the last read stopped (a new partition: from {@code from}) to the end.
     *
     * @param budget how long the read may take before it stops short of the end
     * @param sink   gets each event in partition order
     */
    public Read read(Instant from, Duration budget, Consumer<ChangeEvent> sink) {
        long deadline = System.nanoTime() + budget.toNanos();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(clients.consumerProperties(
                "mitosis-purge-misrouted-" + System.nanoTime(), "mitosis-purge-misrouted-" + server))) {
            List<TopicPartition> partitions = partitions(consumer);
            if (partitions.isEmpty()) {
                return new Read(0, 0, true);
            }
            consumer.assign(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            seekStarts(consumer, partitions, from, end);
            long events = 0;
            while (!atEnd(consumer, partitions, end)) {
                if (System.nanoTime() > deadline) {
                    keepPositions(consumer, partitions);
                    return new Read(events, partitions.size(), false);
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    sink.accept(reader.read(record));
                    events++;
                }
            }
            keepPositions(consumer, partitions);
            return new Read(events, partitions.size(), true);
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            throw new IllegalStateException("Kafka at " + clients.settings().bootstrapServersProperty()
                    + " did not answer within " + timeout.toMillis() + " ms reading the change topics of " + server,
                    e);
        }
    }

    private List<TopicPartition> partitions(KafkaConsumer<byte[], byte[]> consumer) {
        Pattern topics = clients.topics().changesOf(server);
        String prefix = clients.topics().changePrefix(server) + ".";
        List<TopicPartition> partitions = new ArrayList<>();
        for (Map.Entry<String, List<PartitionInfo>> topic : consumer.listTopics(timeout).entrySet()) {
            if (!topics.matcher(topic.getKey()).matches()) {
                continue;
            }
            String[] schemaTable = topic.getKey().substring(prefix.length()).split("\\.", 2);
            if (!inScope.test(schemaTable[0], schemaTable[1])) {
                continue;
            }
            for (PartitionInfo info : topic.getValue()) {
                partitions.add(new TopicPartition(info.topic(), info.partition()));
            }
        }
        return partitions;
    }

    private void seekStarts(KafkaConsumer<byte[], byte[]> consumer, List<TopicPartition> partitions, Instant from,
                            Map<TopicPartition, Long> end) {
        Map<TopicPartition, Long> fresh = new HashMap<>();
        for (TopicPartition tp : partitions) {
            if (!next.containsKey(tp)) {
                fresh.put(tp, from.toEpochMilli());
            }
        }
        Map<TopicPartition, OffsetAndTimestamp> byTime = fresh.isEmpty() ? Map.of()
                : consumer.offsetsForTimes(fresh, timeout);
        for (TopicPartition tp : partitions) {
            Long start = next.get(tp);
            if (start == null) {
                OffsetAndTimestamp found = byTime.get(tp);
                // No record stamped at or after `from`: nothing of the window is there yet.
                start = found == null ? end.get(tp) : found.offset();
            }
            consumer.seek(tp, start);
        }
    }

    private boolean atEnd(KafkaConsumer<byte[], byte[]> consumer, List<TopicPartition> partitions,
                          Map<TopicPartition, Long> end) {
        for (TopicPartition tp : partitions) {
            if (consumer.position(tp, timeout) < end.get(tp)) {
                return false;
            }
        }
        return true;
    }

    private void keepPositions(KafkaConsumer<byte[], byte[]> consumer, List<TopicPartition> partitions) {
        for (TopicPartition tp : partitions) {
            next.put(tp, consumer.position(tp, timeout));
        }
    }
}
