package dev.mitosis.purger;

import dev.mitosis.connectors.capture.CaptureStatus;
import dev.mitosis.connectors.capture.CaptureStatusStore;
import dev.mitosis.connectors.kafka.KafkaClients;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Follows one server's records on capture's compacted status topic with one long-lived consumer: the first read
 * goes from the beginning, later ones only from where the last stopped, so the throttle can ask several times a
 * second. Every read goes to the end offset the broker reports at its start, bounded by the timeout. Thread-safe.
 */
public final class CaptureStatusFollower implements CaptureStatusSource, AutoCloseable {

    private final KafkaClients clients;
    private final String topic;
    private final String server;
    private final Duration timeout;
    private KafkaConsumer<byte[], byte[]> consumer;
    private TopicPartition partition;
    private CaptureStatus newest;

    /**
     * @param server  the server whose status to follow
     * @param timeout how long one read may wait for the broker
     */
    public CaptureStatusFollower(KafkaClients clients, String server, Duration timeout) {
        this.clients = clients;
        this.topic = clients.topics().captureHealth();
        this.server = server;
        this.timeout = timeout;
    }

    /** The topic followed. */
    public String topic() {
        return topic;
    }

    @Override
    public synchronized Optional<CaptureStatus> latest() {
        try {
            if (consumer == null) {
                consumer = new KafkaConsumer<>(clients.consumerProperties("mitosis-purge-capture-status-"
                        + System.nanoTime(), "mitosis-purge-capture-status-" + server));
            }
            if (partition == null) {
                if (consumer.partitionsFor(topic, timeout).isEmpty()) {
                    return Optional.empty();
                }
                partition = new TopicPartition(topic, 0);
                consumer.assign(List.of(partition));
                consumer.seekToBeginning(List.of(partition));
            }
            long end = consumer.endOffsets(List.of(partition), timeout).get(partition);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (consumer.position(partition, timeout) < end) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to its end within "
                            + timeout.toMillis() + " ms");
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    if (record.key() != null && server.equals(new String(record.key(), StandardCharsets.UTF_8))) {
                        newest = record.value() == null ? null : CaptureStatusStore.read(record.value());
                    }
                }
            }
            return Optional.ofNullable(newest);
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            closeConsumer();
            throw new IllegalStateException("Kafka at " + clients.settings().bootstrapServersProperty()
                    + " did not answer within " + timeout.toMillis() + " ms for topic " + topic, e);
        } catch (RuntimeException e) {
            closeConsumer();
            throw e;
        }
    }

    private void closeConsumer() {
        if (consumer != null) {
            try {
                consumer.close(Duration.ofSeconds(1));
            } catch (RuntimeException ignored) {
                // already broken; the next read starts over
            }
            consumer = null;
            partition = null;
            newest = null;
        }
    }

    @Override
    public synchronized void close() {
        closeConsumer();
    }
}
