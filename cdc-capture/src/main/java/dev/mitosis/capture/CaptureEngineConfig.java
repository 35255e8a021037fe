package dev.mitosis.capture;

import dev.mitosis.capture.internal.EngineProperties;
import dev.mitosis.connectors.kafka.KafkaClients;
import dev.mitosis.connectors.topology.Server;
import org.apache.kafka.clients.producer.ProducerConfig;

import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The Debezium engine and Kafka producer settings capture runs with, for a benchmark that runs a bare engine
 * configured the same way.
 */
public final class CaptureEngineConfig {

    private CaptureEngineConfig() {
    }

    /** The engine of one server: connector, offsets and schema history in Kafka, heartbeats, batch and poll sizes. */
    public static Properties engine(Server server, List<String> schemas, KafkaClients kafka, SnapshotMode snapshotMode,
                                    int replicaServerId) {
        return EngineProperties.of(server, schemas, kafka.topics(), kafka.settings().bootstrapServersProperty(),
                snapshotMode, replicaServerId);
    }

    /**
     * The change-event producer of one server: idempotent, {@code acks=all}, lz4. Batches of up to 256 KiB: a
     * multi-row statement repeats its text ({@code source.query}) in every row's event, and only records compressed
     * together shrink it.
     */
    public static Properties producer(KafkaClients kafka, Server server) {
        return KafkaClients.with(kafka.producerProperties("mitosis-capture-" + server.name()), Map.of(
                ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024),
                ProducerConfig.LINGER_MS_CONFIG, "5"));
    }

    /** Whether a record the engine hands over is a heartbeat (its offset is stored, the record never published). */
    public static boolean isHeartbeat(String destination) {
        return destination.startsWith(EngineProperties.HEARTBEAT_PREFIX);
    }
}
