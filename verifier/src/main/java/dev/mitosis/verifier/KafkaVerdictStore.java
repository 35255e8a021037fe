package dev.mitosis.verifier;

import dev.mitosis.connectors.topology.KafkaSettings;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Verdicts in a compacted Kafka topic, {@code <prefix>.verdicts}, keyed {@code pair-<n>}: compaction keeps each
 * pair's newest verdict forever, and the recent history until the cleaner runs. One partition, so reading it all
 * to find the newest per key stays cheap (one small record per pair and run).
 */
public final class KafkaVerdictStore implements VerdictStore {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private final KafkaSettings kafka;
    private final String topic;

    public KafkaVerdictStore(KafkaSettings kafka) {
        this.kafka = kafka;
        this.topic = kafka.topicPrefix() + ".verdicts";
    }

    public String topic() {
        return topic;
    }

    static String key(int pair) {
        return "pair-" + pair;
    }

    @Override
    public void publish(PairReport report) {
        ensureTopic();
        Properties props = common();
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 4 * 1024 * 1024);
        try (KafkaProducer<String, String> producer =
                     new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, key(report.pair()), ReportJson.compact(report)))
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while storing the verdict in " + topic, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot store the verdict in Kafka topic " + topic + " at "
                    + kafka.bootstrapServersProperty() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<PairReport> latest(int pair) {
        Properties props = common();
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (KafkaConsumer<String, String> consumer =
                     new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            if (consumer.partitionsFor(topic, TIMEOUT).isEmpty()) {
                return Optional.empty();
            }
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition), TIMEOUT).get(partition);
            String newest = null;
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (consumer.position(partition, TIMEOUT) < end) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("cannot read " + topic + " to its end within " + TIMEOUT.toSeconds() + " s");
                }
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    if (key(pair).equals(record.key())) {
                        newest = record.value();
                    }
                }
            }
            return Optional.ofNullable(newest).map(ReportJson::read);
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            throw new IllegalStateException("cannot reach Kafka at " + kafka.bootstrapServersProperty() + " to read "
                    + topic + ": " + e.getMessage(), e);
        }
    }

    private void ensureTopic() {
        try (Admin admin = Admin.create(common())) {
            NewTopic verdicts = new NewTopic(topic, Optional.of(1), Optional.empty())
                    .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
            admin.createTopics(List.of(verdicts)).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create the verdict topic " + topic + ": " + e.getMessage(), e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating " + topic, e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("cannot reach Kafka at " + kafka.bootstrapServersProperty(), e);
        }
    }

    private Properties common() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServersProperty());
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "mitosis-verdicts");
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        return props;
    }

    @Override
    public void close() {
        // Clients are opened per call: a verdict is stored or read once per run.
    }
}
