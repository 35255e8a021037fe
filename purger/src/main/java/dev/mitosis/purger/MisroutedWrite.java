package dev.mitosis.purger;

import java.time.Instant;

/**
 * A local write, after the flip, on a server to a row whose shard key its new shard does not own: a routing client
 * still sends that uid here. Found in the change stream by {@link MisroutedWritesInterlock}.
 *
 * @param server     the server written to
 * @param table      {@code schema.table}
 * @param shardKey   the shard-key column
 * @param value      the shard-key value as text (after-image; the before-image for a delete)
 * @param op         {@code insert}, {@code update} or {@code delete}
 * @param gtid       the transaction's GTID
 * @param sourceTime when the server wrote it (binlog time)
 * @param owner      the new shard that owns the value, or -1 if the value is not an integer
 */
public record MisroutedWrite(String server, String table, String shardKey, String value, String op, String gtid,
                             Instant sourceTime, int owner) {

    @Override
    public String toString() {
        return op + " of " + table + " " + shardKey + "=" + value + " on " + server + " (GTID " + gtid + ", at "
                + sourceTime + ", " + (owner < 0 ? "not an integer shard key" : "owned by new shard " + owner) + ")";
    }
}
