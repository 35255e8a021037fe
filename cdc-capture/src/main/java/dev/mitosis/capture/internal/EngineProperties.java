package dev.mitosis.capture.internal;

import dev.mitosis.capture.SnapshotMode;
import dev.mitosis.connectors.kafka.TopicNames;
import dev.mitosis.connectors.topology.Server;

import java.util.List;
import java.util.Properties;

/**
 * The Debezium configuration of one server's engine. Offsets and schema history live in Kafka, and offsets are
 * flushed after every batch ({@code offset.flush.interval.ms=0}): with the 60 s default a kill -9 replays up to a
 * minute of events.
 */
public final class EngineProperties {

    /** The server's binlog heartbeat comes every 0.8 × this (0.8 s); the client's own keep-alive is off. */
    public static final long KEEP_ALIVE_INTERVAL_MS = 1_000;
    /** Heartbeat records go to {@code <this>.<topic.prefix>}: never published, only their offsets stored. */
    public static final String HEARTBEAT_PREFIX = "__mitosis-heartbeat";
    /** Records per batch handed to {@link PublishingConsumer}: Debezium's default, stated. */
    public static final int MAX_BATCH_SIZE = 2048;

    private EngineProperties() {
    }

    /** The engine's name, which is also its key in the offsets topic: one per server. */
    public static String engineName(Server server) {
        return "mitosis-capture-" + server.name();
    }

    /**
     * @param replicaServerId the {@code server_id} the engine's binlog client announces; unique among servers and
     *                        engines
     */
    public static Properties of(Server server, List<String> schemas, TopicNames topics, String bootstrapServers,
                                SnapshotMode snapshotMode, int replicaServerId) {
        Properties p = new Properties();
        p.setProperty("name", engineName(server));
        p.setProperty("connector.class", "io.debezium.connector.mariadb.MariaDbConnector");
        p.setProperty("database.hostname", server.host());
        p.setProperty("database.port", Integer.toString(server.port()));
        p.setProperty("database.user", server.credentials().user());
        p.setProperty("database.password", server.credentials().password().value());
        p.setProperty("database.server.id", Integer.toString(replicaServerId));
        p.setProperty("database.include.list", String.join(",", schemas));
        p.setProperty("topic.prefix", topics.changePrefix(server.name()));
        p.setProperty("snapshot.mode", snapshotMode.debeziumValue());
        // The statement annotation (binlog_annotate_row_events) goes into source.query.
        p.setProperty("include.query", "true");
        // Consumers read row changes only; DDL stays in the schema history.
        p.setProperty("include.schema.changes", "false");
        // Change topics are an archive, not compacted: a delete is its own event, no tombstone after it.
        p.setProperty("tombstones.on.delete", "false");
        p.setProperty("decimal.handling.mode", "string");
        p.setProperty("bigint.unsigned.handling.mode", "precise");
        p.setProperty("converter.schemas.enable", "false");

        p.setProperty("bootstrap.servers", bootstrapServers);
        p.setProperty("offset.storage", "org.apache.kafka.connect.storage.KafkaOffsetBackingStore");
        p.setProperty("offset.storage.topic", topics.captureOffsets());
        p.setProperty("offset.storage.partitions", "1");
        p.setProperty("offset.storage.replication.factor", "-1");
        p.setProperty("offset.flush.interval.ms", "0");
        p.setProperty("offset.flush.timeout.ms", "10000");

        p.setProperty("schema.history.internal", "io.debezium.storage.kafka.history.KafkaSchemaHistory");
        p.setProperty("schema.history.internal.kafka.topic", topics.schemaHistory(server.name()));
        p.setProperty("schema.history.internal.kafka.bootstrap.servers", bootstrapServers);
        p.setProperty("schema.history.internal.store.only.captured.databases.ddl", "true");

        // Heartbeats store an offset within a second of a first start (before any row change: without one a kill
        // would restart at the then-current GTID) and move it on while only other schemas are written, so it never
        // falls behind binlog purging. PublishingConsumer stores them without publishing. A row's own offset
        // excludes its transaction until the next record, so the heartbeat also bounds how soon the processed
        // position covers a last write: the verifier's freshness and the purger's archive check wait on it.
        p.setProperty("heartbeat.interval.ms", "250");
        p.setProperty("topic.heartbeat.prefix", HEARTBEAT_PREFIX);
        // A lost connection is retried inside the connector a few times, then the engine fails and ServerCapture
        // decides: a purged position (error 1236) stops capture, anything else restarts it with capped backoff.
        p.setProperty("errors.max.retries", "5");
        p.setProperty("errors.retry.delay.initial.ms", "300");
        p.setProperty("errors.retry.delay.max.ms", "5000");
        // The connector asks the server for a binlog heartbeat every 0.8 × this, and only a binlog event lets it
        // emit its own heartbeat: on an idle server, that is how soon the processed position covers a last write
        // (10 s measured 8.3 s from the last write to a covering status, 2 s 1.7 s; the verifier's freshness goal is
        // 2 s). With the keep-alive thread off, this only sets that heartbeat: one small event every 0.8 s.
        // The client's own keep-alive stays off: it reconnects after this long without an event, which a reader
        // blocked behind a slow broker triggers, and it resumes after the GTID of the transaction under way (the
        // client counts a MariaDB transaction done at its statement annotation), so the transaction's unread rows
        // were lost (CaptureRecoveryIT: 40,000 rows in one statement with the broker away). A lost connection
        // fails the engine instead, which restarts from the stored offset: the transaction is read again from its
        // start, skipping what was already stored.
        p.setProperty("connect.keep.alive", "false");
        p.setProperty("connect.keep.alive.interval.ms", Long.toString(KEEP_ALIVE_INTERVAL_MS));
        p.setProperty("record.processing.shutdown.timeout.ms", "5000");
        // A batch is handed over when full or after this long (default 500 ms): under a steady trickle the wait for
        // a batch to fill is what latency is made of; under a backlog batches are full either way.
        p.setProperty("max.batch.size", Integer.toString(MAX_BATCH_SIZE));
        p.setProperty("max.queue.size", Integer.toString(4 * MAX_BATCH_SIZE));
        p.setProperty("poll.interval.ms", "50");
        return p;
    }
}
