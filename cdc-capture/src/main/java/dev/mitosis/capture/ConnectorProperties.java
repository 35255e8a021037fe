package dev.mitosis.capture;

import dev.mitosis.capture.internal.EngineProperties;
import dev.mitosis.connectors.kafka.KafkaClients;
import dev.mitosis.connectors.topology.Server;

import java.util.List;
import java.util.Properties;

/**
 * The Debezium connector configuration capture runs one server with, for those who run it elsewhere (Kafka Connect
 * in distributed mode): the very properties of the embedded engine ({@link CaptureEngineConfig#engine}), so both
 * publish the same events to the same topics. Keys only the embedded engine reads (its offset store, flush, shutdown) are left out by
 * {@link #connectorOnly}; a Connect worker has its own.
 */
public final class ConnectorProperties {

    /** Keys of the embedded engine that a Kafka Connect worker configures for itself. */
    public static final List<String> ENGINE_ONLY = List.of("bootstrap.servers", "offset.storage",
            "offset.storage.topic", "offset.storage.partitions", "offset.storage.replication.factor",
            "offset.flush.interval.ms", "offset.flush.timeout.ms", "record.processing.shutdown.timeout.ms",
            "converter.schemas.enable");

    private ConnectorProperties() {
    }

    /** The engine name of a server's capture, which Connect uses as the connector's name. */
    public static String name(Server server) {
        return EngineProperties.engineName(server);
    }

    /**
     * Every property capture's embedded engine gets for {@code server}, including its password: handle with care.
     *
     * @param replicaServerId the binlog client's {@code server_id}
     */
    public static Properties of(Server server, List<String> schemas, KafkaClients kafka, SnapshotMode snapshotMode,
                                int replicaServerId) {
        return CaptureEngineConfig.engine(server, schemas, kafka, snapshotMode, replicaServerId);
    }

    /** {@link #of} without {@link #ENGINE_ONLY}: what a connector config holds. */
    public static Properties connectorOnly(Properties engine) {
        Properties p = new Properties();
        p.putAll(engine);
        ENGINE_ONLY.forEach(p::remove);
        return p;
    }
}
