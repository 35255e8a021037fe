package dev.mitosis.ops.bench;

import dev.mitosis.capture.SnapshotMode;
import dev.mitosis.capture.internal.EngineProperties;
import dev.mitosis.connectors.kafka.KafkaClients;
import dev.mitosis.connectors.topology.Server;
import io.debezium.engine.ChangeEvent;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.format.JsonByteArray;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The benchmark's baseline: a Debezium engine with the same connector settings as capture, handing each record to
 * a Kafka producer and nothing else — no wait for acknowledgement before the offset, no headers, no health.
 */
final class BareDebeziumEngine implements AutoCloseable {

    private final KafkaProducer<byte[], byte[]> producer;
    private final DebeziumEngine<ChangeEvent<byte[], byte[]>> engine;
    private final ExecutorService thread = Executors.newSingleThreadExecutor();

    BareDebeziumEngine(Server server, List<String> schemas, KafkaClients kafka, int replicaServerId) {
        this.producer = kafka.newProducer("bench-bare-" + server.name());
        this.engine = DebeziumEngine.create(JsonByteArray.class)
                .using(EngineProperties.of(server, schemas, kafka.topics(), kafka.settings().bootstrapServersProperty(),
                        SnapshotMode.NONE, replicaServerId))
                .notifying(record -> {
                    if (record.value() != null && !record.destination().startsWith(EngineProperties.HEARTBEAT_PREFIX)) {
                        producer.send(new ProducerRecord<>(record.destination(), record.key(), record.value()));
                    }
                })
                .build();
    }

    BareDebeziumEngine start() {
        thread.submit(engine);
        return this;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        engine.close();
        thread.shutdown();
        thread.awaitTermination(30, TimeUnit.SECONDS);
        producer.close(Duration.ofSeconds(10));
    }
}
