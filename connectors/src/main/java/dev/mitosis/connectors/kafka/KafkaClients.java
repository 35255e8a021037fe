package dev.mitosis.connectors.kafka;

import dev.mitosis.connectors.topology.KafkaSettings;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ForwardingAdmin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * Kafka clients for one {@link KafkaSettings}, configured the way mitosis needs them: producers idempotent with
 * {@code acks=all} (a change is only "published" once every in-sync replica has it, and a retry never writes it
 * twice), consumers with manual commits (a worker commits after it acted on a record). Raw bytes on both sides: the
 * event model ({@code dev.mitosis.connectors.events}) does the decoding.
 */
public final class KafkaClients {

    private final KafkaSettings settings;
    private final TopicNames topics;

    public KafkaClients(KafkaSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.topics = new TopicNames(settings.topicPrefix());
    }

    public KafkaSettings settings() {
        return settings;
    }

    public TopicNames topics() {
        return topics;
    }

    /** Idempotent, {@code acks=all}, ordered (at most 5 in flight keeps order with idempotence), byte[] keys/values. */
    public Properties producerProperties(String clientId) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServersProperty());
        p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return p;
    }

    /** Manual commits, reading from the earliest record when the group has no offset, byte[] keys/values. */
    public Properties consumerProperties(String groupId, String clientId) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServersProperty());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // Only what a committed producer transaction or idempotent batch made visible.
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return p;
    }

    public Properties adminProperties(String clientId) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServersProperty());
        p.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId);
        return p;
    }

    public KafkaProducer<byte[], byte[]> newProducer(String clientId) {
        return new KafkaProducer<>(producerProperties(clientId));
    }

    public KafkaConsumer<byte[], byte[]> newConsumer(String groupId, String clientId) {
        return new KafkaConsumer<>(consumerProperties(groupId, clientId));
    }

    /**
     * An admin client whose {@code close()} does not wait for calls still pending. Every caller bounds its own waits
     * ({@code get(timeout)}); Kafka's default close waits for a call the caller already gave up on until the call's
     * own {@code default.api.timeout.ms} (60 s), and with no broker reachable that minute held capture's status
     * thread, and with it capture's 10 s stop ({@code CompactedTopicUnreachableTest}).
     */
    public Admin newAdmin(String clientId) {
        return new PromptlyClosedAdmin(adminProperties(clientId));
    }

    private static final class PromptlyClosedAdmin extends ForwardingAdmin {

        PromptlyClosedAdmin(Properties properties) {
            super(asMap(properties));
        }

        private static Map<String, Object> asMap(Properties properties) {
            Map<String, Object> map = new HashMap<>();
            properties.forEach((key, value) -> map.put((String) key, value));
            return map;
        }

        @Override
        public void close(Duration timeout) {
            super.close(Duration.ZERO);
        }
    }

    /** The given properties with {@code overrides} applied; for a test or a bench that tunes one client. */
    public static Properties with(Properties base, Map<String, String> overrides) {
        Properties p = new Properties();
        p.putAll(base);
        p.putAll(overrides);
        return p;
    }
}
