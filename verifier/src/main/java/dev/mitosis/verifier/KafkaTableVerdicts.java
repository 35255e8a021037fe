package dev.mitosis.verifier;

import dev.mitosis.connectors.kafka.CompactedTopic;
import dev.mitosis.connectors.kafka.KafkaClients;
import dev.mitosis.connectors.topology.KafkaSettings;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The per-table parts of verdicts reached by daemons that divide a pair's tables ({@link VerdictMerge#split}), in
 * the compacted topic {@code <prefix>.verdicts.tables} keyed {@code pair-<n>/<schema.table>}, or
 * {@code pair-<n>/<schema.table>#<i>/<parts>} for a key range of a table ({@link TableRange}): compaction keeps each
 * table's or range's newest part, whichever daemon verified it. The pair's merger follows the topic ({@link Follower}) and
 * stores the merged verdict in {@link KafkaVerdictStore}, the one the gate reads.
 */
public final class KafkaTableVerdicts implements AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private final KafkaClients clients;
    private final CompactedTopic topic;
    private KafkaProducer<byte[], byte[]> producer;

    public KafkaTableVerdicts(KafkaSettings kafka) {
        this.clients = new KafkaClients(kafka);
        this.topic = new CompactedTopic(clients, kafka.topicPrefix() + ".verdicts.tables", TIMEOUT);
    }

    public String topic() {
        return topic.name();
    }

    static String key(int pair, String table) {
        return "pair-" + pair + "/" + table;
    }

    /** Stores one part per table of {@code report}. */
    public synchronized void publish(PairReport report) {
        if (producer == null) {
            topic.ensureExists();
            producer = topic.newProducer();
        }
        for (PairReport part : VerdictMerge.split(report)) {
            topic.send(producer, key(part.pair(), part.tables().get(0).table()),
                    ReportJson.compact(part).getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Reads the parts from the beginning, then only what was added since the last read. */
    public Follower follow() {
        topic.ensureExists();
        return new Follower();
    }

    @Override
    public synchronized void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
            producer = null;
        }
    }

    /** A reader that keeps its place in the topic; used by one thread. */
    public final class Follower implements AutoCloseable {
        private final TopicPartition partition = new TopicPartition(topic.name(), 0);
        private final KafkaConsumer<byte[], byte[]> consumer;
        private final Map<String, PairReport> newest = new LinkedHashMap<>();

        private Follower() {
            consumer = new KafkaConsumer<>(clients.consumerProperties("mitosis-table-verdicts-" + System.nanoTime(),
                    "mitosis-" + topic.name() + "-follower"));
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
        }

        /**
         * The newest part of every table of {@code pair}, having read the topic up to the end the broker reports
         * now: a merge never rests on a part older than one already written when it started.
         *
         * @throws IllegalStateException if the topic cannot be read to its end within 30 s
         */
        public List<PairReport> parts(int pair) {
            long end = consumer.endOffsets(List.of(partition), TIMEOUT).get(partition);
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (consumer.position(partition, TIMEOUT) < end) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic.name() + " to its end within "
                            + TIMEOUT.toMillis() + " ms");
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    String key = new String(record.key(), StandardCharsets.UTF_8);
                    if (record.value() == null) {
                        newest.remove(key);
                    } else {
                        newest.put(key, ReportJson.read(new String(record.value(), StandardCharsets.UTF_8)));
                    }
                }
            }
            String prefix = "pair-" + pair + "/";
            List<PairReport> parts = new ArrayList<>();
            newest.forEach((key, part) -> {
                if (key.startsWith(prefix)) {
                    parts.add(part);
                }
            });
            return parts;
        }

        @Override
        public void close() {
            consumer.close(Duration.ofSeconds(5));
        }
    }
}
