package dev.mitosis.ops.bench;

import dev.mitosis.capture.CaptureEngineConfig;
import dev.mitosis.capture.SnapshotMode;
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
 * The benchmark's baseline: the same Debezium async engine as capture, with capture's engine properties and producer
 * settings ({@link CaptureEngineConfig}) and the same JSON ({@code JsonByteArray}: Debezium's converter, which capture
 * runs on its own threads and this engine in its record pool), handing each record but heartbeats to the producer
 * and letting the engine mark it processed at once — no preflight, no wait for acknowledgement before the offset is
 * stored, no headers, no status.
 */
final class BareDebeziumEngine implements AutoCloseable {

    private final KafkaProducer<byte[], byte[]> producer;
    private final DebeziumEngine<ChangeEvent<byte[], byte[]>> engine;
    private final ExecutorService thread = Executors.newSingleThreadExecutor();

    BareDebeziumEngine(Server server, List<String> schemas, KafkaClients kafka, int replicaServerId) {
        this.producer = new KafkaProducer<>(CaptureEngineConfig.producer(kafka, server));
        this.engine = DebeziumEngine.create(JsonByteArray.class)
                .using(CaptureEngineConfig.engine(server, schemas, kafka, SnapshotMode.NONE, replicaServerId))
                .notifying(record -> {
                    if (record.value() != null && !CaptureEngineConfig.isHeartbeat(record.destination())) {
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
