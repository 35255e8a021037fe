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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * Publishes each batch the engine hands over, and marks it processed only once the broker acknowledged every
 * record of it ({@code acks=all}): the offset Debezium then stores never runs ahead of what Kafka holds, so a
 * kill at any instant replays (duplicates) but never loses. A send that fails fails the batch, and the engine,
 * unmarked. Under a backlog (full batches) batch k is marked while batch k+1 is in flight, so the broker's round
 * trip is not paid once per batch on the engine's thread.
 */
public final class PublishingConsumer implements DebeziumEngine.ChangeConsumer<ChangeEvent<byte[], byte[]>> {

    /** Header: the name of the server whose binlog the event was read from. */
    public static final String HEADER_SERVER = ChangeEventReader.HEADER_SERVER;
    /** Header: that server's own {@code server_id}, to tell its local writes from replicated ones. */
    public static final String HEADER_SERVER_ID = ChangeEventReader.HEADER_SERVER_ID;

    /** Header: {@code event:row}, where the row is in its transaction (from the Debezium offset). */
    public static final String HEADER_TRANSACTION_POSITION = ChangeEventReader.HEADER_TRANSACTION_POSITION;

    /** The key of the completed GTID set in the MariaDB connector's source offset. */
    static final String GTID_SET_KEY = "gtids";
    private static final JsonFactory JSON = new JsonFactory();
    private static final byte[] START_OF_TRANSACTION = "0:0".getBytes(StandardCharsets.UTF_8);

    private final Producer<byte[], byte[]> producer;
    private final byte[] serverName;
    private final byte[] serverId;
    private final CaptureProgress progress;
    private final int deferAtSize;
    /** A full batch sent but not yet marked: marked at the start of the next batch, never before its acks. */
    private Sent pending;

    /**
     * @param deferAtSize the engine's {@code max.batch.size}: a batch this big is marked processed only when the next
     *                    batch has been sent (a stop in between replays it)
     */
    public PublishingConsumer(Producer<byte[], byte[]> producer, String serverName, long serverId,
                              CaptureProgress progress, int deferAtSize) {
        this.producer = producer;
        this.deferAtSize = deferAtSize;
        this.serverName = serverName.getBytes(StandardCharsets.UTF_8);
        this.serverId = Long.toString(serverId).getBytes(StandardCharsets.UTF_8);
        this.progress = progress;
    }

    @Override
    public void handleBatch(List<ChangeEvent<byte[], byte[]>> records,
                            DebeziumEngine.RecordCommitter<ChangeEvent<byte[], byte[]>> committer)
            throws InterruptedException {
        Sent sent = send(records, committer);
        if (pending != null) {
            Sent previous = pending;
            pending = null;
            complete(previous);
        }
        // A full batch means a backlog: the next batch comes at once, and its conversion and sending overlap this
        // one's acknowledgements. A smaller one means the engine is caught up: wait now, there may be no next.
        if (records.size() >= deferAtSize) {
            pending = sent;
        } else {
            complete(sent);
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

    /** Waits until the broker acknowledged every record of the batch, then marks it all processed. */
    private void complete(Sent sent) throws InterruptedException {
        for (Future<RecordMetadata> ack : sent.acks()) {
            try {
                ack.get();
            } catch (ExecutionException e) {
                throw new PublishFailedException("the broker did not acknowledge a change event: "
                        + e.getCause().getMessage(), e.getCause());
            }
        }
        for (ChangeEvent<byte[], byte[]> record : sent.records()) {
            sent.committer().markProcessed(record);
        }
        sent.committer().markBatchFinished();
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
