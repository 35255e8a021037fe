package dev.mitosis.capture.internal;

import dev.mitosis.connectors.kafka.KafkaClients;
import dev.mitosis.connectors.mariadb.ServerConnector;
import dev.mitosis.connectors.topology.Server;

import java.sql.SQLException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * The broker's side of a start, on a thread of its own: capture's topics created, then the stored position read and
 * checked against the server's binlogs. The engine starts once the topics exist and the server passed preflight;
 * {@link PublishingConsumer} publishes nothing before this check passed, so the engine's own start (offsets, schema
 * history, binlog connection) overlaps it instead of waiting for it.
 */
final class StoredPositionCheck {

    private final CompletableFuture<Void> topics;
    private final CompletableFuture<Optional<String>> gap;

    private StoredPositionCheck(CompletableFuture<Void> topics, CompletableFuture<Optional<String>> gap) {
        this.topics = topics;
        this.gap = gap;
    }

    /** Starts the check; {@code progress} learns the stored position as soon as it is read. */
    static StoredPositionCheck start(KafkaClients kafka, Server server, ServerConnector connector,
                                     CaptureProgress progress) {
        CompletableFuture<Void> topics = CompletableFuture.runAsync(() -> {
            try {
                CaptureTopics.ensure(kafka);
            } catch (ExecutionException | TimeoutException e) {
                throw new CompletionException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CompletionException(e);
            }
        }, task -> {
            Thread thread = new Thread(task, "capture-start-check-" + server.name());
            thread.setDaemon(true);
            thread.start();
        });
        // On the same thread, right after the topics: reading must never create the offsets topic.
        CompletableFuture<Optional<String>> gap = topics.thenApply(done -> {
            Optional<StoredOffsets.Position> stored = new StoredOffsets(kafka).read(server);
            if (stored.isEmpty()) {
                return Optional.empty();
            }
            progress.resumedFrom(stored.get().gtids().orElse(null));
            try {
                return BinlogAvailability.gap(stored.get().binlogFile(), BinlogAvailability.files(connector));
            } catch (SQLException e) {
                throw new CompletionException(e);
            }
        });
        return new StoredPositionCheck(topics, gap);
    }

    /** Done once capture's topics exist (the offsets topic compacted, as Kafka Connect needs it). */
    CompletableFuture<Void> topics() {
        return topics;
    }

    /** Why the stored position is not in the server's binlogs; empty when it is or none is stored. */
    CompletableFuture<Optional<String>> gap() {
        return gap;
    }

    /** True once the check passed, false if the stored position is gone; exceptional if it could not be made. */
    CompletableFuture<Boolean> passed() {
        return gap.thenApply(Optional::isEmpty);
    }

    /** What stopped the check from being made, unwrapped. */
    static Throwable cause(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
