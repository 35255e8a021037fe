package dev.mitosis.connectors.routing;

/**
 * A pair's gate as the flip saw it, recorded with the shard map it published: the purge's interlock reads it to
 * know that the pair was proven identical before routing changed.
 *
 * @param pair       the pair (old shard)
 * @param verdict    PASS, FAIL or UNKNOWN, after the max-age rule
 * @param finishedAt when that verification finished (ISO-8601), or null without one
 * @param reason     the gate's reason, one line
 */
public record GateRecord(int pair, String verdict, String finishedAt, String reason) {

    public boolean passed() {
        return "PASS".equals(verdict);
    }
}
