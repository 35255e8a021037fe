package dev.mitosis.connectors.capture;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.mitosis.connectors.kafka.CompactedTopic;
import dev.mitosis.connectors.kafka.KafkaClients;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * Capture's per-server status on the compacted topic {@code <prefix>.capture.health}, keyed by server name: capture
 * writes it about once a second, the purger and {@code ops} read the newest record of each server.
 */
public final class CaptureStatusStore implements AutoCloseable {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final CompactedTopic topic;
    private KafkaProducer<byte[], byte[]> producer;

    public CaptureStatusStore(KafkaClients clients, Duration timeout) {
        this.topic = new CompactedTopic(clients, clients.topics().captureHealth(), timeout);
    }

    public String topic() {
        return topic.name();
    }

    /** Writes one server's status and waits for the broker's acknowledgement; the producer is kept for the next. */
    public synchronized void publish(CaptureStatus status) {
        if (producer == null) {
            topic.ensureExists();
            producer = topic.newProducer();
        }
        topic.send(producer, status.server(), write(status));
    }

    /** The newest status of every server that ever published one. */
    public Map<String, CaptureStatus> latest() {
        Map<String, CaptureStatus> byServer = new LinkedHashMap<>();
        topic.latestByKey().forEach((server, value) -> byServer.put(server, read(value)));
        return byServer;
    }

    /** The newest status of one server, if it ever published one. */
    public Optional<CaptureStatus> latest(String server) {
        return Optional.ofNullable(latest().get(server));
    }

    static byte[] write(CaptureStatus status) {
        try {
            return MAPPER.writeValueAsBytes(status);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads one record value of the status topic. */
    public static CaptureStatus read(byte[] value) {
        try {
            return MAPPER.readValue(value, CaptureStatus.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("not a capture status record: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
            producer = null;
        }
    }
}
