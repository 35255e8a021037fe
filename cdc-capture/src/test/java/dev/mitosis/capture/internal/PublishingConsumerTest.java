package dev.mitosis.capture.internal;

import com.codahale.metrics.MetricRegistry;
import io.debezium.engine.ChangeEvent;
import io.debezium.engine.DebeziumEngine;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The marking order of {@link PublishingConsumer}: never before the broker's acknowledgement, in send order. */
class PublishingConsumerTest {

    private record Event(String destination, byte[] value) implements ChangeEvent<byte[], byte[]> {
        static Event row(String text) {
            return new Event("it.cdc.p0-a.app.users", ("{\"id\":\"" + text + "\"}").getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public byte[] key() {
            return value;
        }

        @Override
        public Integer partition() {
            return null;
        }
    }

    /** What the engine was told, in order. */
    private static final class Committer implements DebeziumEngine.RecordCommitter<ChangeEvent<byte[], byte[]>> {
        final List<ChangeEvent<byte[], byte[]>> marked = new CopyOnWriteArrayList<>();
        final AtomicInteger batchesFinished = new AtomicInteger();

        @Override
        public void markProcessed(ChangeEvent<byte[], byte[]> record) {
            marked.add(record);
        }

        @Override
        public void markBatchFinished() {
            batchesFinished.incrementAndGet();
        }

        @Override
        public void markProcessed(ChangeEvent<byte[], byte[]> record, DebeziumEngine.Offsets offsets) {
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
    private final PublishingConsumer consumer = new PublishingConsumer(producer, "p0-a", 1,
            new CaptureProgress("p0-a", new MetricRegistry(), Clock.systemUTC()), refusals::add);

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
        Event heartbeat = new Event(EngineProperties.HEARTBEAT_PREFIX + ".it.cdc.p0-a", new byte[] {'{', '}'});
        consumer.handleBatch(List.of(heartbeat), committer);
        assertThat(producer.history()).isEmpty();
        assertThat(committer.marked).containsExactly(heartbeat);
        assertThat(committer.batchesFinished).hasValue(1);

        Event row = Event.row("1");
        Event later = new Event(EngineProperties.HEARTBEAT_PREFIX + ".it.cdc.p0-a", new byte[] {'{', '}'});
        consumer.handleBatch(List.of(row), committer);
        consumer.handleBatch(List.of(later), committer);
        assertThat(committer.marked).as("the heartbeat's offset is past the unacknowledged row")
                .containsExactly(heartbeat);
        producer.completeNext();
        assertThat(consumer.drain(Duration.ofSeconds(10))).isTrue();
        assertThat(committer.marked).containsExactly(heartbeat, row, later);
    }
}
