package dev.mitosis.capture.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mitosis.connectors.kafka.KafkaClients;
import dev.mitosis.connectors.topology.Server;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The binlog positions Debezium stored in the offsets topic, read and reset outside the engine: capture checks the
 * stored position is still in the server's binlogs before it starts, and a re-baseline forgets it.
 */
public final class StoredOffsets {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

    /** A stored position: the binlog file and the GTID set Debezium resumes from. */
    public record Position(String binlogFile, long binlogPosition, Optional<String> gtids) {
    }

    private final KafkaClients kafka;

    public StoredOffsets(KafkaClients kafka) {
        this.kafka = kafka;
    }

    /** The key Kafka Connect stores a server's offset under: {@code ["<engine name>",{"server":"<topic.prefix>"}]}. */
    static byte[] key(Server server, KafkaClients kafka) {
        String key = "[\"" + EngineProperties.engineName(server) + "\",{\"server\":\""
                + kafka.topics().changePrefix(server.name()) + "\"}]";
        return key.getBytes(StandardCharsets.UTF_8);
    }

    /** The position stored for {@code server}, if any (the last value of its key; null values forget it). */
    public Optional<Position> read(Server server) {
        String topic = kafka.topics().captureOffsets();
        byte[] wanted = key(server, kafka);
        Properties props = kafka.consumerProperties("mitosis-capture-offset-reader",
                "mitosis-capture-offset-reader-" + server.name());
        // Reading must never create the topic: Connect needs it compacted (see CaptureTopics).
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        try (Consumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
            List<PartitionInfo> partitions = consumer.partitionsFor(topic, READ_TIMEOUT);
            if (partitions == null || partitions.isEmpty()) {
                return Optional.empty();
            }
            List<TopicPartition> assigned = partitions.stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(assigned);
            consumer.seekToBeginning(assigned);
            Map<TopicPartition, Long> end = consumer.endOffsets(assigned, READ_TIMEOUT);
            byte[] last = null;
            boolean found = false;
            long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
            while (assigned.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to its end within " + READ_TIMEOUT);
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (record.key() != null && Arrays.equals(record.key(), wanted)) {
                        last = record.value();
                        found = true;
                    }
                }
            }
            if (!found || last == null) {
                return Optional.empty();
            }
            JsonNode value = JSON.readTree(last);
            return Optional.of(new Position(value.path("file").asText(""), value.path("pos").asLong(0),
                    Optional.ofNullable(value.get("gtids")).map(JsonNode::asText)));
        } catch (UnknownTopicOrPartitionException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new IllegalStateException("the offset stored for " + server.name() + " is not JSON", e);
        }
    }

    /**
     * Forgets the position of {@code server} (a null value under its key) and deletes its schema history, so the
     * next start begins at the server's current GTID as a first start does.
     */
    public void forget(Server server) {
        try (Producer<byte[], byte[]> producer = kafka.newProducer("mitosis-capture-rebaseline");
             Admin admin = kafka.newAdmin("mitosis-capture-rebaseline")) {
            producer.send(new ProducerRecord<>(kafka.topics().captureOffsets(), key(server, kafka), null))
                    .get(READ_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            try {
                admin.deleteTopics(List.of(kafka.topics().schemaHistory(server.name())))
                        .all().get(READ_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw e;
                }
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not forget the stored position of " + server.name() + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while forgetting the position of " + server.name(), e);
        }
    }
}
