package dev.mitosis.connectors.topology;

import dev.mitosis.connectors.config.ConfigDef;
import dev.mitosis.connectors.config.ConfigDef.Importance;
import dev.mitosis.connectors.config.ConfigDef.Type;
import dev.mitosis.connectors.config.NonEmpty;
import dev.mitosis.connectors.config.Range;

/**
 * The keys of the {@code purge} section of mitosis.yaml: how gently the purger deletes what a new shard no longer
 * owns. Declared here once; {@link MitosisConfigDef#definition()} mounts them as the section {@value #PURGE}, so
 * their full names read {@code purge.chunk.target.ms} and so on. A config without the section gets every default.
 */
public final class PurgeKeys {

    public static final String PURGE = "purge";
    /** The doc of the section itself. */
    public static final String DOC = "How gently the purger deletes what a new shard no longer owns: chunk sizing, "
            + "the rows/s cap, pause and abort thresholds, the control file. Left out, every key has its default.";
    public static final String CHUNK_TARGET_MS = "chunk.target.ms";
    public static final String CHUNK_INITIAL_ROWS = "chunk.initial.rows";
    public static final String CHUNK_MAX_ROWS = "chunk.max.rows";
    public static final String MAX_ROWS_PER_SECOND = "max.rows.per.second";
    public static final String MAX_REPLICA_LAG_MS = "max.replica.lag.ms";
    public static final String ABORT_REPLICA_LAG_MS = "abort.replica.lag.ms";
    public static final String MAX_THREADS_RUNNING = "max.threads.running";
    public static final String ABORT_THREADS_RUNNING = "abort.threads.running";
    public static final String QUIET_WINDOW_MS = "quiet.window.ms";
    public static final String PAUSE_FILE = "pause.file";
    public static final String MAX_CAPTURE_LAG_MS = "max.capture.lag.ms";
    public static final String CAPTURE_STATUS_MAX_AGE_MS = "capture.status.max.age.ms";
    public static final String ARCHIVE_WAIT_MS = "archive.wait.ms";
    public static final String RETRY_INTERVAL_MS = "retry.interval.ms";

    private PurgeKeys() {
    }

    /** The keys of the {@code purge} section, with the defaults a config without it gets. */
    public static ConfigDef definition() {
        return new ConfigDef()
                .define(CHUNK_TARGET_MS, Type.LONG, 50L, Range.between(5, 60_000), Importance.MEDIUM,
                        "The time one chunk (select its keys, delete, checkpoint, commit) should take; chunk sizes "
                                + "adapt to it, so each delete transaction stays short.")
                .define(CHUNK_INITIAL_ROWS, Type.INT, 200, Range.between(1, 1_000_000), Importance.LOW,
                        "The rows of a table's first chunk, before sizes adapt to purge.chunk.target.ms.")
                .define(CHUNK_MAX_ROWS, Type.INT, 5_000, Range.between(1, 1_000_000), Importance.LOW,
                        "The most rows one chunk may delete, however fast the server answers.")
                .define(MAX_ROWS_PER_SECOND, Type.LONG, 5_000L, Range.between(0, 100_000_000), Importance.HIGH,
                        "The most rows the purger deletes per second on one server; 0 means no cap. "
                                + "Changeable while running (pause file, --max-rows-per-second).")
                .define(MAX_REPLICA_LAG_MS, Type.LONG, 1000L, Range.between(100, 3_600_000), Importance.HIGH,
                        "The purge pauses while any server replicating from the purged one lags more than this, "
                                + "measured by the purger's heartbeat row (written every 100 ms); once paused for lag it "
                                + "resumes below half of this, so the chunks in flight do not hold lag at the limit.")
                .define(ABORT_REPLICA_LAG_MS, Type.LONG, 60_000L, Range.between(100, 86_400_000), Importance.MEDIUM,
                        "The purge stops (exit 1, after its last checkpoint) when a replica lags more than this. "
                                + "Must be above purge.max.replica.lag.ms.")
                .define(MAX_THREADS_RUNNING, Type.INT, 50, Range.between(1, 100_000), Importance.MEDIUM,
                        "The purge pauses while the purged server's Threads_running is above this.")
                .define(ABORT_THREADS_RUNNING, Type.INT, 500, Range.between(1, 100_000), Importance.LOW,
                        "The purge stops (exit 1, after its last checkpoint) when Threads_running exceeds this. "
                                + "Must be above purge.max.threads.running.")
                .define(QUIET_WINDOW_MS, Type.LONG, 600_000L, Range.between(0, 86_400_000), Importance.HIGH,
                        "How long the change stream of the purged server must show no local write to a uid its new "
                                + "shard does not own (a misrouted write) before a purge may start or go on; also the "
                                + "least time from the flip to the purge (small in the sandbox config).")
                .define(PAUSE_FILE, Type.STRING, null, NonEmpty.described("a file path"), Importance.MEDIUM,
                        "A control file read every 100 ms while a purge runs: a line 'pause' pauses it, "
                                + "'rate=N' sets the rows/s cap; removing the line resumes. Each change is logged "
                                + "with its old and new value.")
                .define(MAX_CAPTURE_LAG_MS, Type.LONG, 5_000L, Range.between(0, 3_600_000), Importance.HIGH,
                        "The purge starts only while capture of the purged server lags at most this behind its "
                                + "binlog, and pauses while it lags more: every delete's before-image must reach the "
                                + "archive (the change stream) before more rows go.")
                .define(CAPTURE_STATUS_MAX_AGE_MS, Type.LONG, 10_000L, Range.between(1_000, 3_600_000),
                        Importance.LOW,
                        "A capture status older than this says nothing about capture now: the purge refuses to "
                                + "start and pauses while the newest one is older (capture publishes about once a "
                                + "second).")
                .define(ARCHIVE_WAIT_MS, Type.LONG, 10_000L, Range.between(0, 600_000), Importance.LOW,
                        "At the end of a purge (done, aborted or interrupted), how long to wait for capture to "
                                + "have archived the last delete; the summary says archived true only when it saw "
                                + "capture's status cover the server's position after the last delete.")
                .define(RETRY_INTERVAL_MS, Type.LONG, 30_000L, Range.between(1_000, 3_600_000), Importance.MEDIUM,
                        "In `mitosis daemon`: how often a purge refused by an interlock checks them again; it starts "
                                + "by itself once they all hold (e.g. once the quiet window passed). Each new reason "
                                + "is logged once. `mitosis purge` refuses once and exits 1.");
    }
}
