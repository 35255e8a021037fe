package dev.mitosis.purger.proof;

/**
 * One purge-tagged change that the audit of the stream rejects.
 *
 * @param kind       what is wrong: {@code OWNED_ROW_TOUCHED} (the shard key is of the residue the shard keeps),
 *                   {@code NOT_PURGED_RESIDUE} (another residue, or a NULL or unreadable key), {@code NOT_A_DELETE}
 *                   (an insert or update carrying the purger's tag)
 * @param event      the event's identity (server/GTID/binlog place)
 * @param op         the change's op code ({@code c}, {@code u}, {@code d})
 * @param primaryKey the row's primary key as JSON
 * @param shardKey   the shard key value of the row image, as text ({@code null} when NULL)
 */
public record Violation(String kind, String event, String op, String primaryKey, String shardKey) {

    public static final String OWNED_ROW_TOUCHED = "OWNED_ROW_TOUCHED";
    public static final String NOT_PURGED_RESIDUE = "NOT_PURGED_RESIDUE";
    public static final String NOT_A_DELETE = "NOT_A_DELETE";
}
