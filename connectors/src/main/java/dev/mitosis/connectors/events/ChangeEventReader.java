package dev.mitosis.connectors.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mitosis.connectors.topology.MitosisConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * Turns a record of a change topic into a {@link ChangeEvent}: the Debezium JSON envelope (schemas disabled) in the
 * value, the primary key in the key, and capture's headers naming the server and its {@code server_id}. The one
 * place in mitosis that knows Debezium's format.
 */
public final class ChangeEventReader {

    /** Header: the name of the server whose binlog the event was read from. */
    public static final String HEADER_SERVER = "mitosis.server";
    /** Header: that server's own {@code server_id}. */
    public static final String HEADER_SERVER_ID = "mitosis.server.id";
    /** Header: {@code event:row}, the row's place in its transaction (absent: {@code 0:0}). */
    public static final String HEADER_TRANSACTION_POSITION = "mitosis.transaction.position";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final BiFunction<String, String, Optional<String>> shardKeyColumn;

    /**
     * @param shardKeyColumn the shard-key column of {@code (schema, table)}, empty for a broadcast table
     */
    public ChangeEventReader(BiFunction<String, String, Optional<String>> shardKeyColumn) {
        this.shardKeyColumn = Objects.requireNonNull(shardKeyColumn, "shardKeyColumn");
    }

    /** Shard keys from the config's table rules ({@code uid} unless a table says otherwise). */
    public static ChangeEventReader forConfig(MitosisConfig config) {
        return new ChangeEventReader((schema, table) -> config.tableRule(schema, table).shardKey());
    }

    /** Reads a record of a change topic, taking the server from capture's headers. */
    public ChangeEvent read(ConsumerRecord<byte[], byte[]> record) {
        Headers headers = record.headers();
        String server = header(headers, HEADER_SERVER, record);
        long serverId;
        try {
            serverId = Long.parseLong(header(headers, HEADER_SERVER_ID, record));
        } catch (NumberFormatException e) {
            throw new MalformedEventException("header " + HEADER_SERVER_ID + " of " + where(record)
                    + " is not a number");
        }
        Header position = headers.lastHeader(HEADER_TRANSACTION_POSITION);
        String transactionPosition = position == null || position.value() == null ? "0:0"
                : new String(position.value(), StandardCharsets.UTF_8);
        try {
            return read(server, serverId, transactionPosition, record.key(), record.value());
        } catch (MalformedEventException e) {
            throw new MalformedEventException(where(record) + ": " + e.getMessage());
        }
    }

    /**
     * Reads one event.
     *
     * @param server   the name of the server the event was read from
     * @param serverId that server's own {@code server_id}
     * @param transactionPosition {@code event:row}, the row's place in its transaction
     * @param key      the Debezium JSON key (primary key columns), may be null for a table without one
     * @param value    the Debezium JSON envelope
     */
    public ChangeEvent read(String server, long serverId, String transactionPosition, byte[] key, byte[] value) {
        if (value == null) {
            throw new MalformedEventException("no value (a tombstone; capture publishes none)");
        }
        JsonNode envelope = parse(value, "value");
        // With schemas enabled the envelope sits under "payload"; accept both.
        if (envelope.has("payload") && envelope.has("schema")) {
            envelope = envelope.get("payload");
        }
        JsonNode source = envelope.path("source");
        if (!source.isObject()) {
            throw new MalformedEventException("no source block in the envelope");
        }
        Op op = Op.ofCode(text(envelope, "op"));
        String schema = text(source, "db");
        String table = text(source, "table");
        Optional<ObjectNode> before = object(envelope.get("before"));
        Optional<ObjectNode> after = object(envelope.get("after"));
        ObjectNode primaryKey = key == null ? JSON.createObjectNode() : keyObject(parse(key, "key"));
        ObjectNode row = after.or(() -> before).orElseThrow(() ->
                new MalformedEventException("op " + op.code() + " without before or after image"));
        Optional<JsonNode> shardKeyValue = shardKeyColumn.apply(schema, table)
                .map(row::get).filter(v -> !v.isMissingNode());
        String gtid = source.path("gtid").isTextual() ? source.get("gtid").asText() : "";
        EventId id = op == Op.READ
                ? new EventId(server, gtid, "", 0, 0, 0)
                : new EventId(server, gtid, text(source, "file"), source.path("pos").asLong(),
                        transactionPart(transactionPosition, 0), transactionPart(transactionPosition, 1));
        long originServerId = source.path("server_id").asLong(serverId);
        Optional<String> statement = source.path("query").isTextual()
                ? Optional.of(source.get("query").asText()) : Optional.empty();
        Instant sourceTime = Instant.ofEpochMilli(source.path("ts_ms").asLong());
        return new ChangeEvent(id, serverId, originServerId, schema, table, primaryKey, shardKeyValue, op, before,
                after, sourceTime, statement);
    }

    private static long transactionPart(String position, int index) {
        String[] parts = position.split(":");
        try {
            return Long.parseLong(parts[index]);
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
            throw new MalformedEventException("transaction position '" + position + "' is not event:row");
        }
    }

    private static ObjectNode keyObject(JsonNode key) {
        if (key.has("payload") && key.has("schema")) {
            key = key.get("payload");
        }
        if (!key.isObject()) {
            throw new MalformedEventException("key is not a JSON object: " + key);
        }
        return (ObjectNode) key;
    }

    private static Optional<ObjectNode> object(JsonNode node) {
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isObject()) {
            throw new MalformedEventException("row image is not a JSON object: " + node);
        }
        return Optional.of((ObjectNode) node);
    }

    private static JsonNode parse(byte[] bytes, String what) {
        try {
            return JSON.readTree(bytes);
        } catch (IOException e) {
            throw new MalformedEventException(what + " is not JSON: " + e.getMessage());
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new MalformedEventException("field '" + field + "' missing or not text");
        }
        return value.asText();
    }

    private static String header(Headers headers, String name, ConsumerRecord<?, ?> record) {
        Header header = headers.lastHeader(name);
        if (header == null || header.value() == null) {
            throw new MalformedEventException("no header " + name + " on " + where(record)
                    + " (not published by mitosis capture?)");
        }
        return new String(header.value(), StandardCharsets.UTF_8);
    }

    private static String where(ConsumerRecord<?, ?> record) {
        return record.topic() + "-" + record.partition() + "@" + record.offset();
    }

    /** A record that is not a change event capture publishes. */
    public static final class MalformedEventException extends RuntimeException {
        public MalformedEventException(String message) {
            super(message);
        }
    }
}
