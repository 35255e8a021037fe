package dev.mitosis.ops.purge;

import dev.mitosis.ops.cli.Progress;
import dev.mitosis.purger.PurgeListener;
import dev.mitosis.purger.PurgePlan;
import dev.mitosis.purger.PurgeProgress;
import dev.mitosis.purger.TablePlan;
import dev.mitosis.purger.ThrottleDecision;

import java.util.Locale;

/**
 * Progress of a purge on stderr: rows deleted, rows/s, throttle state and reason, ETA, at most one chunk line a
 * second; every throttle change, tunable change and retry as it happens.
 */
final class PurgeProgressPrinter implements PurgeListener {

    private static final long CHUNK_LINE_INTERVAL_NANOS = 1_000_000_000L;

    private final Progress progress;
    private long lastChunkLine;

    PurgeProgressPrinter(Progress progress) {
        this.progress = progress;
    }

    @Override
    public void planned(PurgePlan plan) {
        progress.say("plan: new shard %d on %s deletes residue %d of %d, keeps %d; %d table(s), ~%d rows",
                plan.newShard(), plan.serverName(), plan.purgedResidue(), plan.modulus(), plan.keptResidue(),
                plan.tables().size(), plan.estimatedRows());
        for (TablePlan table : plan.tables()) {
            progress.say("  %s by %s: %s", table.qualifiedName(), table.shardKey(),
                    table.skipReason().map(r -> "SKIPPED, " + r).orElse("~" + table.estimatedRows() + " rows"));
        }
    }

    @Override
    public void tableStarted(TablePlan table, String resumedFrom) {
        progress.say("table %s: %s", table.qualifiedName(),
                resumedFrom == null ? "starting" : "resuming after key " + resumedFrom);
    }

    @Override
    public synchronized void chunk(PurgeProgress p) {
        long now = System.nanoTime();
        if (now - lastChunkLine < CHUNK_LINE_INTERVAL_NANOS) {
            return;
        }
        lastChunkLine = now;
        long left = Math.max(0, p.estimatedRows() - p.rowsDeleted());
        String eta = p.rowsPerSecond() <= 0 ? "unknown" : String.format(Locale.ROOT, "%.0fs", left / p.rowsPerSecond());
        progress.say("deleted %d rows (%s: %d), %.0f rows/s, throttle %s, ETA %s", p.rowsDeleted(), p.table(),
                p.tableRowsDeleted(), p.rowsPerSecond(), p.throttle(), eta);
    }

    @Override
    public void throttleChanged(ThrottleDecision old, ThrottleDecision now) {
        progress.say("throttle: %s (was %s)", now, old);
    }

    @Override
    public void tunableChanged(String name, String oldValue, String newValue, String by) {
        progress.say("tunable %s: %s -> %s (by %s)", name, oldValue, newValue, by);
    }

    @Override
    public void retrying(String what, int attempt, String error) {
        progress.say("retrying %s (attempt %d): %s", what, attempt, error);
    }
}
