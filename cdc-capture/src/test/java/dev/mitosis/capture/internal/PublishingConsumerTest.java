package dev.mitosis.capture.internal;

import com.codahale.metrics.MetricRegistry;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The marking order of {@link PublishingConsumer}: never before the broker's acknowledgement, in send order. */
class PublishingConsumerTest {

    private static final Schema SOURCE = SchemaBuilder.struct().field("gtid", Schema.OPTIONAL_STRING_SCHEMA)
            .field("ts_ms", Schema.INT64_SCHEMA).build();
    private static final Schema ENVELOPE = SchemaBuilder.struct().field("after", Schema.OPTIONAL_STRING_SCHEMA)
            .field("source", SOURCE).build();

    /** A record as the engine hands it over: the connector's record, unconverted. */
    private record Event(SourceRecord record) implements RecordChangeEvent<SourceRecord> {
        static Event row(String text) {
            return row(text, 0, 0);
        }

        static Event row(String text, int event, int row) {
            Struct value = new Struct(ENVELOPE).put("after", text)
                    .put("source", new Struct(SOURCE).put("gtid", "0-1-" + text).put("ts_ms", 1_000L));
            return new Event(new SourceRecord(Map.of("server", "it.cdc.p0-a"),
                    Map.of("gtids", "0-1-0", "event", event, "row", row), "it.cdc.p0-a.app.users",
                    Schema.STRING_SCHEMA, text, ENVELOPE, value));
        }

        static Event heartbeat() {
            return new Event(new SourceRecord(Map.of("server", "it.cdc.p0-a"), Map.of("gtids", "0-1-9"),
                    EngineProperties.HEARTBEAT_PREFIX + ".it.cdc.p0-a", Schema.STRING_SCHEMA, "k",
                    Schema.STRING_SCHEMA, "{}"));
        }
    }

    /** What the engine was told, in order. */
    private static final class Committer implements DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> {
        final List<RecordChangeEvent<SourceRecord>> marked = new CopyOnWriteArrayList<>();
        final AtomicInteger batchesFinished = new AtomicInteger();

        @Override
        public void markProcessed(RecordChangeEvent<SourceRecord> record) {
            marked.add(record);
        }

        @Override
        public void markBatchFinished() {
            batchesFinished.incrementAndGet();
        }

        @Override
        public void markProcessed(RecordChangeEvent<SourceRecord> record, DebeziumEngine.Offsets offsets) {
            marked.add(record);
        }

        @Override
        public DebeziumEngine.Offsets buildOffsets() {
            throw new UnsupportedOperationException();
        }
    }

    private final MockProducer<byte[], byte[]> producer =
            new MockProducer<>(false, null, new ByteArraySerializer(), new ByteArraySerializer());
    private final Committer committer = new Committer();
    private final List<PublishingConsumer.PublishFailedException> refusals = new CopyOnWriteArrayList<>();
    private final CaptureProgress progress = new CaptureProgress("p0-a", new MetricRegistry(), Clock.systemUTC());
    private final PublishingConsumer consumer = new PublishingConsumer(producer, "p0-a", 1, progress, refusals::add,
            new JsonRecordConverter(engineConverterSettings()), CompletableFuture.completedFuture(true));

    private static Properties engineConverterSettings() {
        Properties p = new Properties();
        p.setProperty("converter.schemas.enable", "false");
        return p;
    }

    @AfterEach
    void stopMarker() throws InterruptedException {
        consumer.close();
    }

    @Test
    void batchesAreSentAheadAndEachIsMarkedOnlyAfterAllItsAcksInSendOrder() throws Exception {
        Event r1 = Event.row("1");
        Event r2 = Event.row("2");
        Event r3 = Event.row("3");
        consumer.handleBatch(List.of(r1, r2), committer);
        consumer.handleBatch(List.of(r3), committer);
        assertThat(producer.history()).as("the engine's thread never waits for the broker").hasSize(3);
        assertThat(committer.marked).isEmpty();

        producer.completeNext();
        assertThat(consumer.drain(Duration.ofMillis(300))).isFalse();
        assertThat(committer.marked).as("r2 of batch 1 is not acknowledged yet").isEmpty();

        producer.completeNext();
        await().atMost(Duration.ofSeconds(10)).until(() -> committer.marked.size() == 2);
        assertThat(committer.marked).containsExactly(r1, r2);

        producer.completeNext();
        assertThat(consumer.drain(Duration.ofSeconds(10))).isTrue();
        assertThat(committer.marked).containsExactly(r1, r2, r3);
        assertThat(refusals).isEmpty();
    }

    @Test
    void aRefusedRecordStopsAllMarkingAndFailsTheEngine() throws Exception {
        consumer.handleBatch(List.of(Event.row("1"), Event.row("2")), committer);
        consumer.handleBatch(List.of(Event.row("3")), committer);
        producer.completeNext();
        producer.errorNext(new org.apache.kafka.common.errors.TimeoutException("broker away"));
        producer.completeNext();
        await().atMost(Duration.ofSeconds(10)).until(() -> refusals.size() == 1);
        assertThat(refusals.get(0)).hasMessageContaining("broker away");
        assertThatThrownBy(() -> consumer.handleBatch(List.of(Event.row("4")), committer))
                .isInstanceOf(PublishingConsumer.PublishFailedException.class)
                .hasMessageContaining("broker away");
        assertThat(committer.marked).as("batch 2 was acknowledged, but after a refused record: never marked")
                .isEmpty();
        assertThat(producer.history()).as("nothing sent after the refusal was seen").hasSize(3);
    }

    @Test
    void heartbeatsAreStoredAtOnceWhenNothingIsInFlightAndAfterWhatIsOtherwise() throws Exception {
        Event heartbeat = Event.heartbeat();
        consumer.handleBatch(List.of(heartbeat), committer);
        assertThat(producer.history()).isEmpty();
        assertThat(committer.marked).containsExactly(heartbeat);
        assertThat(committer.batchesFinished).hasValue(1);

        Event row = Event.row("1");
        Event later = Event.heartbeat();
        consumer.handleBatch(List.of(row), committer);
        consumer.handleBatch(List.of(later), committer);
        assertThat(committer.marked).as("the heartbeat's offset is past the unacknowledged row")
                .containsExactly(heartbeat);
        producer.completeNext();
        assertThat(consumer.drain(Duration.ofSeconds(10))).isTrue();
        assertThat(committer.marked).containsExactly(heartbeat, row, later);
    }

    @Test
    void eachRowIsPublishedAsTheEnginesJsonWithItsHeadersInTheEnginesOrder() throws Exception {
        List<Event> rows = new java.util.ArrayList<>();
        for (int i = 0; i < 5 * PublishingConsumer.CONVERT_CHUNK + 7; i++) {
            rows.add(Event.row("r" + i, 2, i));
        }
        consumer.handleBatch(List.<RecordChangeEvent<SourceRecord>>copyOf(rows), committer);
        List<ProducerRecord<byte[], byte[]>> sent = producer.history();
        assertThat(sent).hasSize(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            ProducerRecord<byte[], byte[]> record = sent.get(i);
            assertThat(record.topic()).isEqualTo("it.cdc.p0-a.app.users");
            assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo("\"r" + i + "\"");
            assertThat(new String(record.value(), StandardCharsets.UTF_8))
                    .isEqualTo("{\"after\":\"r" + i + "\",\"source\":{\"gtid\":\"0-1-r" + i + "\",\"ts_ms\":1000}}");
            assertThat(new String(record.headers().lastHeader(PublishingConsumer.HEADER_TRANSACTION_POSITION).value(),
                    StandardCharsets.UTF_8)).isEqualTo("2:" + i);
            assertThat(record.headers().lastHeader(PublishingConsumer.HEADER_SERVER).value())
                    .isEqualTo("p0-a".getBytes(StandardCharsets.UTF_8));
            assertThat(record.headers().lastHeader(PublishingConsumer.HEADER_SERVER_ID).value())
                    .isEqualTo("1".getBytes(StandardCharsets.UTF_8));
        }
        while (producer.completeNext()) {
            // acknowledge all
        }
        assertThat(consumer.drain(Duration.ofSeconds(10))).isTrue();
        assertThat(committer.marked).containsExactlyElementsOf(rows);
        assertThat(progress.lastGtid()).contains("0-1-r" + (rows.size() - 1));
    }

    @Test
    void nothingIsSentOrMarkedBeforeTheStartCheckPassedAndAFailedOneFailsTheEngine() throws Exception {
        CompletableFuture<Boolean> check = new CompletableFuture<>();
        PublishingConsumer gated = new PublishingConsumer(producer, "p0-a", 1, progress, refusals::add,
                new JsonRecordConverter(engineConverterSettings()), check);
        try {
            Thread engine = new Thread(() -> {
                try {
                    gated.handleBatch(List.of(Event.row("1"), Event.heartbeat()), committer);
                } catch (IllegalStateException | InterruptedException e) {
                    refusals.add(new PublishingConsumer.PublishFailedException(e.getMessage(), e));
                }
            });
            engine.start();
            engine.join(300);
            assertThat(engine.isAlive()).as("the batch waits for the check").isTrue();
            assertThat(producer.history()).isEmpty();
            check.complete(false);
            engine.join(10_000);
            assertThat(refusals).singleElement().satisfies(e -> assertThat(e).hasMessageContaining("binlogs"));
            assertThat(producer.history()).isEmpty();
            assertThat(committer.marked).isEmpty();
        } finally {
            gated.close();
        }
    }
}
