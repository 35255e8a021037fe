package dev.mitosis.connectors.work;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * Where a unit of work lives: a unit (one table of one new shard's purge, say {@code purge/2/app.users}) belongs
 * to one partition of the work topic, the same in every process and every release, so the processes of a
 * {@link WorkGroup} agree on who owns it without talking about units at all.
 */
public final class WorkUnits {

    private WorkUnits() {
    }

    /** The unit's partition among {@code partitions}: a CRC32 of its name (stable, unlike a JVM's hash seeds). */
    public static int partitionOf(String unit, int partitions) {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions " + partitions + " must be >= 1");
        }
        CRC32 crc = new CRC32();
        crc.update(unit.getBytes(StandardCharsets.UTF_8));
        return (int) (crc.getValue() % partitions);
    }

    /** The unit name of one table of one new shard's purge. */
    public static String purgeUnit(int newShard, String table) {
        return "purge/" + newShard + "/" + table;
    }

    /** The unit name of one table of one pair's continuous verification. */
    public static String verifyUnit(int pair, String table) {
        return "verify/" + pair + "/" + table;
    }

    /**
     * The unit of range {@code index} (0-based) of a table unit cut into {@code parts} key ranges ({@link KeySplit});
     * a table in one part is its own unit, named as before ranges existed.
     */
    public static String rangeUnit(String tableUnit, int index, int parts) {
        if (index < 0 || index >= parts) {
            throw new IllegalArgumentException("range " + index + " is not among " + parts + " parts");
        }
        return parts == 1 ? tableUnit : tableUnit + "#" + index + "/" + parts;
    }

    /**
     * The unit whose owner merges a pair's per-table verdicts into the pair's stored verdict: one merger per pair,
     * so two daemons reading the parts at different moments never store verdicts that contradict each other.
     */
    public static String verifyMergeUnit(int pair) {
        return "verify/" + pair + "/merge";
    }
}
