package dev.mitosis.connectors.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * A one-partition compacted topic holding small keyed state records (verdicts, capture status, routing): one
 * partition keeps the order total, compaction keeps each key's newest record forever, and reading it all from the
 * beginning stays cheap. Every call is bounded by the timeout given at construction.
 */
public final class CompactedTopic {

    /** One record as read: key and value as UTF-8 text would be wrong for binary keys, so both stay bytes. */
    public record Entry(byte[] key, byte[] value, long offset, long timestampMillis) {
        public String keyText() {
            return key == null ? null : new String(key, StandardCharsets.UTF_8);
        }
    }

    private final KafkaClients clients;
    private final String topic;
    private final Duration timeout;

    public CompactedTopic(KafkaClients clients, String topic, Duration timeout) {
        this.clients = clients;
        this.topic = topic;
        this.timeout = timeout;
    }

    public String name() {
        return topic;
    }

    /** Creates the topic if it is missing: one partition, compacted, replicated to up to three brokers. */
    public void ensureExists() {
        create(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
    }

    /**
     * Creates the topic if it is missing, keeping every record forever (neither compacted nor expired): for small
     * logs whose first record of a key is the one that counts, which compaction would remove once a later one came.
     */
    public void ensureExistsKeepingEveryRecord() {
        create(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                TopicConfig.RETENTION_MS_CONFIG, "-1", TopicConfig.RETENTION_BYTES_CONFIG, "-1"));
    }

    private void create(Map<String, String> policy) {
        try (Admin admin = clients.newAdmin("mitosis-admin-" + topic)) {
            Set<String> existing = admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (existing.contains(topic)) {
                return;
            }
            int brokers = admin.describeCluster().nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS).size();
            short replicas = (short) Math.min(3, Math.max(1, brokers));
            Map<String, String> configs = new HashMap<>(policy);
            configs.put(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(Math.max(1, replicas - 1)));
            NewTopic created = new NewTopic(topic, 1, replicas).configs(configs);
            admin.createTopics(List.of(created)).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create Kafka topic " + topic + ": " + e.getCause().getMessage(), e);
            }
        } catch (TimeoutException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating " + topic, e);
        }
    }

    /** Sends one record and waits for the broker's acknowledgement (acks=all, idempotent). */
    public void send(String key, byte[] value) {
        try (KafkaProducer<byte[], byte[]> producer = newProducer()) {
            send(producer, key, value);
        }
    }

    /** A producer for repeated {@link #send(KafkaProducer, String, byte[])} calls; the caller closes it. */
    public KafkaProducer<byte[], byte[]> newProducer() {
        long request = Math.max(500, Math.min(timeout.toMillis(), 30_000));
        return new KafkaProducer<>(KafkaClients.with(clients.producerProperties("mitosis-" + topic + "-writer"), Map.of(
                // Kafka requires delivery >= linger + request.
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(Math.max(timeout.toMillis(), request + 100)),
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(request),
                ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(timeout.toMillis()),
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(4 * 1024 * 1024))));
    }

    public void send(KafkaProducer<byte[], byte[]> producer, String key, byte[] value) {
        try {
            producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value))
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot write to Kafka topic " + topic + " at "
                    + clients.settings().bootstrapServersProperty() + ": " + e.getCause().getMessage(), e);
        } catch (TimeoutException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing to " + topic, e);
        }
    }

    /** Every record from the beginning to the end the broker reports now, in order; empty if the topic is missing. */
    public List<Entry> readAll() {
        TopicPartition partition = new TopicPartition(topic, 0);
        List<Entry> entries = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                clients.consumerProperties("mitosis-reader-" + System.nanoTime(), "mitosis-" + topic + "-reader"))) {
            if (consumer.partitionsFor(topic, timeout).isEmpty()) {
                return entries;
            }
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition), timeout).get(partition);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (consumer.position(partition, timeout) < end) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to its end within "
                            + timeout.toMillis() + " ms");
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    entries.add(new Entry(record.key(), record.value(), record.offset(), record.timestamp()));
                }
            }
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            throw unreachable(e);
        }
        return entries;
    }

    /** The newest value of every key, in the order keys first appeared; a null value (tombstone) removes the key. */
    public Map<String, byte[]> latestByKey() {
        Map<String, byte[]> latest = new LinkedHashMap<>();
        for (Entry entry : readAll()) {
            if (entry.value() == null) {
                latest.remove(entry.keyText());
            } else {
                latest.put(entry.keyText(), entry.value());
            }
        }
        return latest;
    }

    private IllegalStateException unreachable(Exception e) {
        return new IllegalStateException("Kafka at " + clients.settings().bootstrapServersProperty()
                + " did not answer within " + timeout.toMillis() + " ms for topic " + topic, e);
    }
}
