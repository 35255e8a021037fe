package dev.mitosis.ops.demo;

import java.util.List;
import java.util.Map;

/**
 * What a demo run showed: its steps with timings, the rows of every shard before and after, the load generator's
 * totals and the loss check. It passed only if every step held, the load saw no error and no row was lost.
 *
 * @param failure     the first step that did not hold, or null
 * @param oldShards   per old shard: A, A0 and their rows before the split
 * @param newShards   per new shard after the split (empty if the run did not get that far)
 * @param rowsLost    -1 when the loss check could not run
 */
record DemoOutcome(String dir, List<Timeline.Step> steps, String failure, List<OldShard> oldShards,
                   List<NewShard> newShards, Load load, long expectedRows, long rowsLost, long rowsResurrected,
                   long uncertainUids, List<String> lossSamples, double seconds, String report,
                   Map<String, Object> commandSummaries) {

    record OldShard(int shard, String a, long aRows, String a0, long a0Rows) {
    }

    record NewShard(int shard, String server, long rowsAfter, long owned, long notOwned, String partner,
                    Long partnerRows, long missing, long stale) {
    }

    record Load(long reads, long inserts, long updates, long deletes, long writes, long writesAfterFlip, long errors,
                long staleReads, double opsPerSecond, double seconds, List<String> errorSamples) {
    }

    boolean passed() {
        return failure == null && load != null && load.errors() == 0 && rowsLost == 0 && rowsResurrected == 0;
    }
}
