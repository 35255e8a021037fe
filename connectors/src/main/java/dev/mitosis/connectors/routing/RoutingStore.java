package dev.mitosis.connectors.routing;

import dev.mitosis.connectors.kafka.CompactedTopic;
import dev.mitosis.connectors.kafka.KafkaClients;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

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
        topic(clients.topics().shardMap()).ensureExists();
        topic(clients.topics().routingAcks()).ensureExists();
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
     * fixed id fences any other publisher started since: of two flips at once, at most one commits. The map's
     * {@code publishedAt} is stamped once the producer is ready, so clients' switch times measure from the write.
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
            producer.send(new ProducerRecord<>(clients.topics().shardMap(), SHARD_MAP_KEY,
                    RoutingJson.write(next.publishedAt(Instant.now()))));
            producer.commitTransaction();
        }
        awaitReadable(next.epoch());
    }

    /**
     * Waits until a reader sees the map just committed: the commit returns before the coordinator has written its
     * markers, and until then a read_committed reader ends below the new record. A flip therefore returns only once
     * {@code flip status}, the purger's interlock and every new router read the new map.
     */
    private void awaitReadable(long epoch) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (latest().map(ShardMapVersion::epoch).orElse(0L) < epoch) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the shard map of epoch " + epoch + " was committed but is not readable"
                        + " within " + timeout.toMillis() + " ms; `mitosis flip status` shows when it is");
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the shard map of epoch " + epoch, e);
            }
        }
    }

    private <T> List<T> readAll(String topic, Class<T> type) {
        List<T> values = new ArrayList<>();
        for (CompactedTopic.Entry entry : topic(topic).readAll()) {
            if (entry.value() != null) {
                values.add(RoutingJson.read(entry.value(), type));
            }
        }
        return values;
    }

    private CompactedTopic topic(String name) {
        return new CompactedTopic(clients, name, timeout);
    }
}
