package dev.mitosis.connectors.kafka;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The names of every topic mitosis uses, all under {@code kafka.topic.prefix} so several splits can share a cluster.
 *
 * <ul>
 *   <li>{@code <prefix>.cdc.<server>.<schema>.<table>}: the row changes of one table as one server's binlog holds
 *       them (its own writes and, through {@code log_slave_updates}, its peer's). One topic per server and table,
 *       keyed by primary key, so a consumer reads a pair side by side and a table's history is ordered.</li>
 *   <li>{@code <prefix>.capture.offsets}: Debezium's stored binlog positions, one key per server (compacted).</li>
 *   <li>{@code <prefix>.capture.schema-history.<server>}: Debezium's DDL history of one server.</li>
 *   <li>{@code <prefix>.capture.health}: capture's per-server health, keyed by server name (compacted).</li>
 *   <li>{@code <prefix>.routing.shardmap}: the published shard map, one key, every epoch in order (compacted).</li>
 *   <li>{@code <prefix>.routing.acks}: the epoch each router client applied, keyed by client id (compacted).</li>
 *   <li>{@code <prefix>.work.splits}: the key ranges a divided table was cut into, keyed by its unit (compacted).</li>
 * </ul>
 *
 * Server names match {@code [A-Za-z0-9][A-Za-z0-9_.-]*} (checked by the config), legal in topic names.
 */
public final class TopicNames {

    private final String prefix;

    public TopicNames(String prefix) {
        this.prefix = Objects.requireNonNull(prefix, "prefix");
    }

    public String prefix() {
        return prefix;
    }

    /** What Debezium's {@code topic.prefix} is set to for one server: its change topics begin with it. */
    public String changePrefix(String server) {
        return prefix + ".cdc." + server;
    }

    /** The change topic of one table as captured from one server. */
    public String changes(String server, String schema, String table) {
        return changePrefix(server) + "." + schema + "." + table;
    }

    /** Every change topic of one server, for {@code KafkaConsumer.subscribe(Pattern)}. */
    public Pattern changesOf(String server) {
        return Pattern.compile(Pattern.quote(changePrefix(server) + ".") + "[^.]+\\.[^.]+");
    }

    /** Every change topic of the fleet. */
    public Pattern allChanges() {
        return Pattern.compile(Pattern.quote(prefix + ".cdc.") + "[^.]+\\.[^.]+\\.[^.]+");
    }

    public String captureOffsets() {
        return prefix + ".capture.offsets";
    }

    public String schemaHistory(String server) {
        return prefix + ".capture.schema-history." + server;
    }

    public String captureHealth() {
        return prefix + ".capture.health";
    }

    public String shardMap() {
        return prefix + ".routing.shardmap";
    }

    public String routingAcks() {
        return prefix + ".routing.acks";
    }

    public String workSplits() {
        return prefix + ".work.splits";
    }
}
