package dev.mitosis.connectors.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One row change as capture published it, the only shape workers see (they never read Debezium's JSON). Column
 * values are JSON nodes as Debezium encodes them with {@code decimal.handling.mode=string}: numbers, strings,
 * DECIMAL as a string, dates as epoch days, DATETIME(0..3) as epoch milliseconds and DATETIME(4..6) as epoch
 * microseconds, binary as base64.
 *
 * @param id                the identity for de-duplication
 * @param serverId          the {@code server_id} of the server whose binlog held the event
 * @param originServerId    the {@code server_id} the write was made on: differs from {@code serverId} for a write
 *                          replicated from the peer (with {@code log_slave_updates} both sit in one binlog)
 * @param schema            the schema (database)
 * @param table             the table
 * @param primaryKey        the primary key columns and values (the Kafka key)
 * @param shardKeyValue     the value of the table's shard-key column (after-image, or before-image for a delete);
 *                          empty for a broadcast table or when the column is absent
 * @param op                what the change did
 * @param before            the row before (UPDATE, DELETE)
 * @param after             the row after (CREATE, UPDATE, READ)
 * @param sourceTime        when the server wrote the event (binlog timestamp, millisecond precision)
 * @param statement         the SQL statement the row change came from, when {@code binlog_annotate_row_events}
 *                          recorded it
 */
public record ChangeEvent(EventId id, long serverId, long originServerId, String schema, String table,
                          ObjectNode primaryKey, Optional<JsonNode> shardKeyValue, Op op, Optional<ObjectNode> before,
                          Optional<ObjectNode> after, Instant sourceTime, Optional<String> statement) {

    public ChangeEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(primaryKey, "primaryKey");
        Objects.requireNonNull(shardKeyValue, "shardKeyValue");
        Objects.requireNonNull(op, "op");
        Objects.requireNonNull(before, "before");
        Objects.requireNonNull(after, "after");
        Objects.requireNonNull(sourceTime, "sourceTime");
        Objects.requireNonNull(statement, "statement");
    }

    /** The server the event was read from. */
    public String server() {
        return id.server();
    }

    /** The transaction's GTID (empty for a snapshot row). */
    public String gtid() {
        return id.gtid();
    }

    /** Whether the write was made on the peer and reached this server by replication. */
    public boolean replicated() {
        return originServerId != serverId;
    }

    /** {@code schema.table}. */
    public String qualifiedTable() {
        return schema + "." + table;
    }

    /** The row as it is after the change, or as it was before a delete. */
    public ObjectNode row() {
        return after.or(() -> before).orElseThrow();
    }
}
