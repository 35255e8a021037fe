package dev.mitosis.capture.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.mitosis.connectors.events.ChangeEventReader;
import io.debezium.embedded.EmbeddedEngineChangeEvent;
import io.debezium.engine.ChangeEvent;
import io.debezium.engine.DebeziumEngine;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Publishes each batch the engine hands over, and marks it processed only once the broker acknowledged every
 * record of it ({@code acks=all}): the offset Debezium then stores never runs ahead of what Kafka holds, so a
 * kill at any instant replays (duplicates) but never loses.
 * <p>
 * The engine's thread only sends: it hands each sent batch to a marker thread and goes on to poll and convert the
 * next one, up to {@value #IN_FLIGHT_BATCHES} batches ahead of the one the marker awaits. The marker waits for each
 * batch's acknowledgements, in the order they were sent, and only then marks its records; the engine stores
 * (flushes) what is marked at the end of its next batch or idle poll, and when it stops. A record the broker
 * refused stops all marking for good — nothing after it is ever marked — and fails the engine (at its next batch,
 * and at once through {@code onFailure} when idle), which restarts from the stored offset.
 */
public final class PublishingConsumer implements DebeziumEngine.ChangeConsumer<ChangeEvent<byte[], byte[]>>,
        AutoCloseable {

    /** Header: the name of the server whose binlog the event was read from. */
    public static final String HEADER_SERVER = ChangeEventReader.HEADER_SERVER;
    /** Header: that server's own {@code server_id}, to tell its local writes from replicated ones. */
    public static final String HEADER_SERVER_ID = ChangeEventReader.HEADER_SERVER_ID;

    /** Header: {@code event:row}, where the row is in its transaction (from the Debezium offset). */
    public static final String HEADER_TRANSACTION_POSITION = ChangeEventReader.HEADER_TRANSACTION_POSITION;

    /** The key of the completed GTID set in the MariaDB connector's source offset. */
    static final String GTID_SET_KEY = "gtids";
    /**
     * Sent batches waiting for the marker, at most (plus the one it awaits): enough to keep the producer busy while
     * the engine converts the next ones under a loaded broker (2 measured slower). Each holds its converted records
     * until marked, so memory is up to 5 × {@code max.batch.size} events.
     */
    static final int IN_FLIGHT_BATCHES = 4;
    /** Longer than the producer's delivery timeout (120 s), which fails an unacknowledged send before this. */
    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(150);
    private static final JsonFactory JSON = new JsonFactory();
    private static final byte[] START_OF_TRANSACTION = "0:0".getBytes(StandardCharsets.UTF_8);

    private final Producer<byte[], byte[]> producer;
    private final byte[] serverName;
    private final byte[] serverId;
    private final CaptureProgress progress;
    private final Consumer<PublishFailedException> onFailure;
    private final BlockingQueue<Sent> inFlight = new ArrayBlockingQueue<>(IN_FLIGHT_BATCHES);
    private final Thread marker;
    private final Object markedLock = new Object();
    private long sentBatches;
    private long markedBatches;
    private volatile PublishFailedException failure;
    private volatile boolean closed;

    /**
     * @param onFailure told once, from the marker thread, when the broker refused a record: the engine must stop
     *                  (it is also failed at its next batch)
     */
    public PublishingConsumer(Producer<byte[], byte[]> producer, String serverName, long serverId,
                              CaptureProgress progress, Consumer<PublishFailedException> onFailure) {
        this.producer = producer;
        this.serverName = serverName.getBytes(StandardCharsets.UTF_8);
        this.serverId = Long.toString(serverId).getBytes(StandardCharsets.UTF_8);
        this.progress = progress;
        this.onFailure = onFailure;
        this.marker = new Thread(this::markAcknowledged, "capture-marker-" + serverName);
        this.marker.setDaemon(true);
        this.marker.start();
    }

    @Override
    public void handleBatch(List<ChangeEvent<byte[], byte[]>> records,
                            DebeziumEngine.RecordCommitter<ChangeEvent<byte[], byte[]>> committer)
            throws InterruptedException {
        failIfRefused();
        Sent sent = send(records, committer);
        synchronized (markedLock) {
            if (sent.acks().isEmpty() && markedBatches == sentBatches) {
                // Only heartbeats, nothing before them unmarked: stored now, as a first start needs its position soon.
                mark(sent);
                committer.markBatchFinished();
                return;
            }
            sentBatches++;
        }
        long deadline = System.nanoTime() + ACK_TIMEOUT.toNanos();
        while (!inFlight.offer(sent, 100, TimeUnit.MILLISECONDS)) {
            failIfRefused();
            if (closed || System.nanoTime() > deadline) {
                throw new PublishFailedException("no acknowledgement from the broker for " + IN_FLIGHT_BATCHES
                        + " batches within " + ACK_TIMEOUT.toSeconds() + " s", null);
            }
        }
        // Stores what the marker marked so far (earlier batches, acknowledged while this one was converted and sent).
        committer.markBatchFinished();
    }

    private void failIfRefused() {
        PublishFailedException refused = failure;
        if (refused != null) {
            throw new PublishFailedException(refused.getMessage(), refused.getCause());
        }
    }

    /**
     * Waits until every batch sent so far is marked processed (or marking stopped on a refusal), so that an orderly
     * stop stores all of it.
     *
     * @return whether they were, within {@code timeout}
     */
    public boolean drain(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (markedLock) {
            long target = sentBatches;
            while (markedBatches < target && failure == null) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(markedLock, left);
            }
            return markedBatches >= target;
        }
    }

    /** Stops the marker thread; what it did not mark yet is replayed by the next start. */
    @Override
    public void close() throws InterruptedException {
        closed = true;
        marker.interrupt();
        marker.join(TimeUnit.SECONDS.toMillis(10));
    }

    /** The marker thread: each sent batch in order, marked once all its records are acknowledged. */
    private void markAcknowledged() {
        try {
            while (!closed) {
                Sent sent = inFlight.poll(100, TimeUnit.MILLISECONDS);
                if (sent == null) {
                    continue;
                }
                if (!awaitAcks(sent)) {
                    return;
                }
                mark(sent);
                synchronized (markedLock) {
                    markedBatches++;
                    markedLock.notifyAll();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One batch handed to the producer, not yet marked processed. */
    private record Sent(List<ChangeEvent<byte[], byte[]>> records, List<Future<RecordMetadata>> acks,
                        DebeziumEngine.RecordCommitter<ChangeEvent<byte[], byte[]>> committer, byte[] lastValue) {
    }

    private Sent send(List<ChangeEvent<byte[], byte[]>> records,
                      DebeziumEngine.RecordCommitter<ChangeEvent<byte[], byte[]>> committer) {
        List<Future<RecordMetadata>> acks = new ArrayList<>(records.size());
        byte[] lastValue = null;
        for (ChangeEvent<byte[], byte[]> record : records) {
            if (record.value() == null || record.destination().startsWith(EngineProperties.HEARTBEAT_PREFIX)) {
                continue;
            }
            RecordHeaders headers = new RecordHeaders();
            headers.add(HEADER_SERVER, serverName);
            headers.add(HEADER_SERVER_ID, serverId);
            headers.add(HEADER_TRANSACTION_POSITION, transactionPosition(record));
            acks.add(producer.send(new ProducerRecord<>(record.destination(), null, record.key(), record.value(),
                    headers)));
            lastValue = record.value();
        }
        return new Sent(records, acks, committer, lastValue);
    }

    /**
     * Waits until the broker acknowledged every record of the batch.
     *
     * @return false if it refused one (or did not answer in time): marking stops for good, the engine is told
     */
    private boolean awaitAcks(Sent sent) throws InterruptedException {
        for (Future<RecordMetadata> ack : sent.acks()) {
            try {
                ack.get(ACK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException | TimeoutException e) {
                Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
                PublishFailedException refused = new PublishFailedException(
                        "the broker did not acknowledge a change event: " + cause.getMessage(), cause);
                synchronized (markedLock) {
                    failure = refused;
                    markedLock.notifyAll();
                }
                onFailure.accept(refused);
                return false;
            }
        }
        return true;
    }

    private void mark(Sent sent) throws InterruptedException {
        for (ChangeEvent<byte[], byte[]> record : sent.records()) {
            sent.committer().markProcessed(record);
        }
        progress.acknowledged(completedGtids(sent.records()));
        if (sent.lastValue() != null) {
            recordProgress(sent.acks().size(), sent.lastValue());
        } else if (!sent.records().isEmpty()) {
            progress.heartbeat();
        }
    }

    /**
     * The offset Debezium stores with a row says how many events of its transaction, and rows of its rows event,
     * a restart skips to resume after it: a place unique within the transaction, the same on every replay.
     */
    private static byte[] transactionPosition(ChangeEvent<byte[], byte[]> record) {
        if (!(record instanceof EmbeddedEngineChangeEvent<?, ?, ?> embedded)) {
            return START_OF_TRANSACTION;
        }
        Map<String, ?> offset = embedded.sourceRecord().sourceOffset();
        Object event = offset.get("event");
        Object row = offset.get("row");
        if (event == null && row == null) {
            return START_OF_TRANSACTION;
        }
        return ((event == null ? "0" : event.toString()) + ":" + (row == null ? "0" : row.toString()))
                .getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The {@code gtids} of the batch's last offset: the GTID set of every transaction completed before that record
     * (MariaDB connector's {@code BinlogOffsetContext.GTID_SET_KEY}; a row inside a transaction does not count its
     * own transaction, the heartbeat after its commit does).
     */
    private static String completedGtids(List<ChangeEvent<byte[], byte[]>> records) {
        for (int i = records.size() - 1; i >= 0; i--) {
            if (records.get(i) instanceof EmbeddedEngineChangeEvent<?, ?, ?> embedded) {
                Object gtids = embedded.sourceRecord().sourceOffset().get(GTID_SET_KEY);
                if (gtids != null) {
                    return gtids.toString();
                }
            }
        }
        return null;
    }

    /** Reads source.gtid and source.ts_ms of the batch's last event, streaming: no tree for one field. */
    private void recordProgress(int count, byte[] value) {
        String gtid = null;
        Instant time = null;
        try (JsonParser p = JSON.createParser(value)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                progress.published(count, null, null);
                return;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                if ("source".equals(field) && p.currentToken() == JsonToken.START_OBJECT) {
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String name = p.currentName();
                        p.nextToken();
                        if ("gtid".equals(name) && p.currentToken() == JsonToken.VALUE_STRING) {
                            gtid = p.getText();
                        } else if ("ts_ms".equals(name) && p.currentToken().isNumeric()) {
                            time = Instant.ofEpochMilli(p.getLongValue());
                        } else {
                            p.skipChildren();
                        }
                    }
                } else {
                    p.skipChildren();
                }
            }
        } catch (IOException e) {
            // Health only: an unreadable value was still published; count it without a position.
        }
        progress.published(count, gtid, time);
    }

    /** The broker refused or timed out a record: retriable (the engine restarts from the stored offset). */
    public static final class PublishFailedException extends RuntimeException {
        public PublishFailedException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
