package dev.mitosis.connectors.routing;

import dev.mitosis.connectors.kafka.KafkaClients;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
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
 * The routing topics: the shard map (one key, every epoch in order) and the clients' acknowledgements (keyed by
 * client id), both compacted, one partition each so order is total.
 */
public final class RoutingStore {

    static final byte[] SHARD_MAP_KEY = "shardmap".getBytes(StandardCharsets.UTF_8);
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaClients clients;
    private final Duration timeout;

    public RoutingStore(KafkaClients clients) {
        this(clients, DEFAULT_TIMEOUT);
    }

    /** @param timeout how long one read or write may wait for the broker before it fails */
    public RoutingStore(KafkaClients clients, Duration timeout) {
        this.clients = clients;
        this.timeout = timeout;
    }

    public KafkaClients clients() {
        return clients;
    }

    /** Creates the two topics if they are missing; compacted, so the latest map and each client's ack stay forever. */
    public void ensureTopics() {
        try (Admin admin = clients.newAdmin("mitosis-routing-admin")) {
            Set<String> existing = admin.listTopics().names().get(timeout.toSeconds(), TimeUnit.SECONDS);
            int brokers = admin.describeCluster().nodes().get(timeout.toSeconds(), TimeUnit.SECONDS).size();
            short replicas = (short) Math.min(3, brokers);
            List<NewTopic> missing = new ArrayList<>();
            for (String topic : List.of(clients.topics().shardMap(), clients.topics().routingAcks())) {
                if (!existing.contains(topic)) {
                    missing.add(new NewTopic(topic, 1, replicas).configs(Map.of(
                            TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                            TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(Math.max(1, replicas - 1)))));
                }
            }
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get(timeout.toSeconds(), TimeUnit.SECONDS);
            }
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create the routing topics: " + e.getCause().getMessage(), e);
            }
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka at " + clients.settings().bootstrapServersProperty()
                    + " did not answer within " + timeout.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** The newest published shard map, if any was published. */
    public Optional<ShardMapVersion> latest() {
        List<ShardMapVersion> all = readAll(clients.topics().shardMap(), ShardMapVersion.class);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    /** The latest acknowledgement of every client that ever sent one, by client id. */
    public Map<String, RoutingAck> acks() {
        Map<String, RoutingAck> byClient = new LinkedHashMap<>();
        for (RoutingAck ack : readAll(clients.topics().routingAcks(), RoutingAck.class)) {
            byClient.put(ack.clientId(), ack);
        }
        return byClient;
    }

    /**
     * Publishes {@code next} if the newest map is still {@code expectedEpoch} (0: none yet), in a transaction whose
     * fixed id fences any other publisher started since: of two flips at once, at most one commits.
     */
    public void publish(ShardMapVersion next, long expectedEpoch) {
        Properties props = clients.producerProperties("mitosis-routing-publisher");
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, clients.topics().shardMap() + ".publisher");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
            producer.initTransactions();
            long current = latest().map(ShardMapVersion::epoch).orElse(0L);
            if (current != expectedEpoch) {
                throw new IllegalStateException("the shard map moved to epoch " + current + " while this flip expected "
                        + expectedEpoch + "; nothing was published, look at `mitosis flip status` and retry");
            }
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(clients.topics().shardMap(), SHARD_MAP_KEY, RoutingJson.write(next)));
            producer.commitTransaction();
        }
    }

    private <T> List<T> readAll(String topic, Class<T> type) {
        TopicPartition partition = new TopicPartition(topic, 0);
        List<T> values = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                clients.consumerProperties("mitosis-routing-reader-" + System.nanoTime(), "mitosis-routing-reader"))) {
            if (consumer.partitionsFor(topic, timeout).isEmpty()) {
                return values;
            }
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition), timeout).get(partition);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (consumer.position(partition, timeout) < end) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to its end within " + timeout.toSeconds() + " s");
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.value() != null) {
                        values.add(RoutingJson.read(record.value(), type));
                    }
                }
            }
        }
        return values;
    }
}
