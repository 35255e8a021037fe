package dev.mitosis.verifier;

import dev.mitosis.connectors.kafka.CompactedTopic;
import dev.mitosis.connectors.kafka.KafkaClients;
import dev.mitosis.connectors.topology.KafkaSettings;
import org.apache.kafka.clients.producer.KafkaProducer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * Verdicts in a compacted Kafka topic, {@code <prefix>.verdicts}, keyed {@code pair-<n>}: compaction keeps each
 * pair's newest verdict forever, and the recent history until the cleaner runs. One partition
 * ({@link CompactedTopic}), so reading it all to find the newest per key stays cheap. The producer is kept open
 * between verdicts: continuous mode publishes one every few seconds.
 */
public final class KafkaVerdictStore implements VerdictStore {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private final CompactedTopic topic;
    private KafkaProducer<byte[], byte[]> producer;

    public KafkaVerdictStore(KafkaSettings kafka) {
        this.topic = new CompactedTopic(new KafkaClients(kafka), kafka.topicPrefix() + ".verdicts", TIMEOUT);
    }

    public String topic() {
        return topic.name();
    }

    static String key(int pair) {
        return "pair-" + pair;
    }

    @Override
    public synchronized void publish(PairReport report) {
        if (producer == null) {
            topic.ensureExists();
            producer = topic.newProducer();
        }
        topic.send(producer, key(report.pair()), ReportJson.compact(report).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public Optional<PairReport> latest(int pair) {
        return Optional.ofNullable(topic.latestByKey().get(key(pair)))
                .map(value -> ReportJson.read(new String(value, StandardCharsets.UTF_8)));
    }

    @Override
    public synchronized void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
            producer = null;
        }
    }
}
