package dev.mitosis.capture.internal;

import dev.mitosis.capture.CaptureEngineConfig;
import dev.mitosis.connectors.events.ChangeEventReader;
import io.debezium.engine.ChangeEvent;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Publishes each batch the engine hands over, and marks it processed only once the broker acknowledged every
 * record of it ({@code acks=all}): the offset Debezium then stores never runs ahead of what Kafka holds, so a
 * kill at any instant replays (duplicates) but never loses.
 * <p>
 * The engine hands over its records unconverted: {@value #CONVERTER_THREADS} converter threads turn them into JSON, in
 * chunks of {@value #CONVERT_CHUNK} and up to {@value #CHUNKS_AHEAD} chunks ahead, while the engine's thread sends
 * each chunk converted before, in order (the engine itself would convert the whole batch before handing any of it
 * over). The sent batch goes to a marker thread, and the engine's thread goes on to poll the next one, up to
 * {@value #IN_FLIGHT_BATCHES} batches ahead of the one the marker awaits. The marker waits for each
 * batch's acknowledgements, in the order they were sent, and only then marks its records; the engine stores
 * (flushes) what is marked at the end of its next batch or idle poll, and when it stops. A record the broker
 * refused stops all marking for good — nothing after it is ever marked — and fails the engine (at its next batch,
 * and at once through {@code onFailure} when idle), which restarts from the stored offset.
 */
public final class PublishingConsumer implements DebeziumEngine.ChangeConsumer<RecordChangeEvent<SourceRecord>>,
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
     * the engine converts the next ones under a loaded broker (2 measured slower). Each holds its connector records
     * (not their JSON, which is dropped once sent) until marked, so memory is up to 5 × {@code max.batch.size} records.
     */
    static final int IN_FLIGHT_BATCHES = 4;
    /**
     * Records converted per hand-over between a converter thread and the engine's: one hand-over per record costs
     * as much as converting a small one.
     */
    static final int CONVERT_CHUNK = 32;
    /**
     * Chunks converted but not yet sent, at most: enough that the sender never waits on a converter that keeps up,
     * few enough that 50 KB events (a 1k-row statement's text in each) do not pile up a batch's worth of JSON.
     */
    static final int CHUNKS_AHEAD = 3;
    /**
     * Threads converting chunks at once: turning a 1k-row statement's text into JSON in each of its rows' events is
     * the costliest step of capture (more than reading the binlog, compressing or sending), and one thread is what
     * bounds the engine's own conversion.
     */
    static final int CONVERTER_THREADS = 2;
    /** Longer than the producer's delivery timeout (120 s), which fails an unacknowledged send before this. */
    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(150);
    private static final byte[] START_OF_TRANSACTION = "0:0".getBytes(StandardCharsets.UTF_8);

    private final Producer<byte[], byte[]> producer;
    private final byte[] serverName;
    private final byte[] serverId;
    private final CaptureProgress progress;
    private final Consumer<PublishFailedException> onFailure;
    private final Function<SourceRecord, ChangeEvent<byte[], byte[]>> converter;
    private final ExecutorService converting;
    private final CompletableFuture<Boolean> startCheck;
    private boolean startChecked;
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
     * @param converter turns a record into the key and value published (see {@link JsonRecordConverter})
     * @param startCheck a check of the start that runs while the engine starts: nothing is sent (so nothing is
     *                   marked or stored) before it completed with true; false or a failure fails the engine
     */
    public PublishingConsumer(Producer<byte[], byte[]> producer, String serverName, long serverId,
                              CaptureProgress progress, Consumer<PublishFailedException> onFailure,
                              Function<SourceRecord, ChangeEvent<byte[], byte[]>> converter,
                              CompletableFuture<Boolean> startCheck) {
        this.producer = producer;
        this.serverName = serverName.getBytes(StandardCharsets.UTF_8);
        this.serverId = Long.toString(serverId).getBytes(StandardCharsets.UTF_8);
        this.progress = progress;
        this.onFailure = onFailure;
        this.converter = converter;
        this.startCheck = startCheck;
        AtomicInteger converters = new AtomicInteger();
        this.converting = Executors.newFixedThreadPool(CONVERTER_THREADS, task -> {
            Thread thread = new Thread(task, "capture-converter-" + serverName + "-" + converters.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.marker = new Thread(this::markAcknowledged, "capture-marker-" + serverName);
        this.marker.setDaemon(true);
        this.marker.start();
    }

    @Override
    public void handleBatch(List<RecordChangeEvent<SourceRecord>> records,
                            DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer)
            throws InterruptedException {
        failIfRefused();
        if (!startChecked) {
            awaitStartCheck();
            startChecked = true;
        }
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

    private void awaitStartCheck() throws InterruptedException {
        long deadline = System.nanoTime() + ACK_TIMEOUT.toNanos();
        while (true) {
            try {
                if (startCheck.get(100, TimeUnit.MILLISECONDS)) {
                    return;
                }
                throw new IllegalStateException("the stored position is no longer in the server's binlogs");
            } catch (ExecutionException e) {
                throw new IllegalStateException("the start check failed: " + StoredPositionCheck.cause(e), e);
            } catch (TimeoutException e) {
                if (closed || System.nanoTime() > deadline) {
                    throw new IllegalStateException("the start check did not finish within "
                            + ACK_TIMEOUT.toSeconds() + " s", e);
                }
            }
        }
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
        converting.shutdownNow();
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
    private record Sent(List<RecordChangeEvent<SourceRecord>> records, List<Future<RecordMetadata>> acks,
                        DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer,
                        SourceRecord lastPublished) {
    }

    /**
     * Sends every record but heartbeats in the engine's order, chunk by chunk as the converter threads have them: they
     * convert the next chunks while this thread sends the one before.
     */
    private Sent send(List<RecordChangeEvent<SourceRecord>> records,
                      DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer)
            throws InterruptedException {
        List<SourceRecord> published = new ArrayList<>(records.size());
        for (RecordChangeEvent<SourceRecord> record : records) {
            SourceRecord source = record.record();
            if (source.value() != null && !CaptureEngineConfig.isHeartbeat(source.topic())) {
                published.add(source);
            }
        }
        int chunks = (published.size() + CONVERT_CHUNK - 1) / CONVERT_CHUNK;
        List<Future<List<ChangeEvent<byte[], byte[]>>>> converted = new ArrayList<>(chunks);
        for (int c = 0; c < Math.min(CHUNKS_AHEAD, chunks); c++) {
            converted.add(convert(published, c));
        }
        List<Future<RecordMetadata>> acks = new ArrayList<>(published.size());
        for (int c = 0; c < chunks; c++) {
            List<ChangeEvent<byte[], byte[]>> events = converted(converted.get(c), published.get(c * CONVERT_CHUNK));
            converted.set(c, null);
            if (c + CHUNKS_AHEAD < chunks) {
                converted.add(convert(published, c + CHUNKS_AHEAD));
            }
            for (int i = 0; i < events.size(); i++) {
                ChangeEvent<byte[], byte[]> event = events.get(i);
                RecordHeaders headers = new RecordHeaders();
                headers.add(HEADER_SERVER, serverName);
                headers.add(HEADER_SERVER_ID, serverId);
                headers.add(HEADER_TRANSACTION_POSITION, transactionPosition(published.get(c * CONVERT_CHUNK + i)));
                acks.add(producer.send(new ProducerRecord<>(event.destination(), null, event.key(), event.value(),
                        headers)));
            }
        }
        return new Sent(records, acks, committer, published.isEmpty() ? null : published.get(published.size() - 1));
    }

    /** Chunk {@code chunk} of {@code published}, converted on a converter thread. */
    private Future<List<ChangeEvent<byte[], byte[]>>> convert(List<SourceRecord> published, int chunk) {
        List<SourceRecord> part = published.subList(chunk * CONVERT_CHUNK,
                Math.min(published.size(), (chunk + 1) * CONVERT_CHUNK));
        return converting.submit(() -> {
            List<ChangeEvent<byte[], byte[]>> events = new ArrayList<>(part.size());
            for (SourceRecord record : part) {
                events.add(converter.apply(record));
            }
            return events;
        });
    }

    private static List<ChangeEvent<byte[], byte[]>> converted(Future<List<ChangeEvent<byte[], byte[]>>> conversion,
                                                               SourceRecord first) throws InterruptedException {
        try {
            return conversion.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot convert the change events of " + first.topic() + " from "
                    + first.sourceOffset() + " on to JSON: " + e.getCause(), e.getCause());
        }
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
        for (RecordChangeEvent<SourceRecord> record : sent.records()) {
            sent.committer().markProcessed(record);
        }
        progress.acknowledged(completedGtids(sent.records()));
        if (sent.lastPublished() != null) {
            recordProgress(sent.acks().size(), sent.lastPublished());
        } else if (!sent.records().isEmpty()) {
            progress.heartbeat();
        }
    }

    /**
     * The offset Debezium stores with a row says how many events of its transaction, and rows of its rows event,
     * a restart skips to resume after it: a place unique within the transaction, the same on every replay.
     */
    private static byte[] transactionPosition(SourceRecord record) {
        Map<String, ?> offset = record.sourceOffset();
        if (offset == null) {
            return START_OF_TRANSACTION;
        }
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
    private static String completedGtids(List<RecordChangeEvent<SourceRecord>> records) {
        for (int i = records.size() - 1; i >= 0; i--) {
            Map<String, ?> offset = records.get(i).record().sourceOffset();
            Object gtids = offset == null ? null : offset.get(GTID_SET_KEY);
            if (gtids != null) {
                return gtids.toString();
            }
        }
        return null;
    }

    /** Reads source.gtid and source.ts_ms of the batch's last event from the connector's record, not its JSON. */
    private void recordProgress(int count, SourceRecord last) {
        Struct source = last.value() instanceof Struct value && value.schema().field("source") != null
                ? value.getStruct("source") : null;
        Object gtid = field(source, "gtid");
        Object time = field(source, "ts_ms");
        progress.published(count, gtid == null ? null : gtid.toString(),
                time instanceof Number millis ? Instant.ofEpochMilli(millis.longValue()) : null);
    }

    private static Object field(Struct struct, String name) {
        Field field = struct == null ? null : struct.schema().field(name);
        return field == null ? null : struct.get(field);
    }

    /** The broker refused or timed out a record: retriable (the engine restarts from the stored offset). */
    public static final class PublishFailedException extends RuntimeException {
        public PublishFailedException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
