package dev.mitosis.purger;

import dev.mitosis.connectors.config.ConfigValues;
import dev.mitosis.connectors.topology.MitosisConfig;
import dev.mitosis.connectors.topology.PurgeKeys;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * How gently one purge runs: the {@code purge} section of mitosis.yaml ({@link PurgeKeys}), checked.
 *
 * @param chunkTargetMs         the time one chunk transaction should take
 * @param chunkInitialRows      the first chunk's size, before sizes adapt
 * @param chunkMaxRows          the largest chunk
 * @param maxRowsPerSecond      the rows/s cap, 0 for none; a tunable (pause file, command option)
 * @param pauseReplicaLagMs     replica lag above which the purge pauses
 * @param abortReplicaLagMs     replica lag above which the purge stops
 * @param pauseThreadsRunning   Threads_running above which the purge pauses
 * @param abortThreadsRunning   Threads_running above which the purge stops
 * @param quietWindowMs         how long the stream must show no misrouted write before a purge
 * @param pauseFile             the operator's control file, if any
 * @param maxCaptureLagMs       capture lag above which the purge does not start, and pauses
 * @param captureStatusMaxAgeMs a capture status older than this tells nothing about capture now
 * @param archiveWaitMs         how long the end of a run waits for capture to archive the last delete
 */
public record PurgeSettings(long chunkTargetMs, int chunkInitialRows, int chunkMaxRows, long maxRowsPerSecond,
                            long pauseReplicaLagMs, long abortReplicaLagMs, int pauseThreadsRunning,
                            int abortThreadsRunning, long quietWindowMs, Optional<Path> pauseFile,
                            long maxCaptureLagMs, long captureStatusMaxAgeMs, long archiveWaitMs) {

    /** Checks the cross-key rules the single-key validators cannot: each abort threshold above its pause one. */
    public PurgeSettings {
        if (abortReplicaLagMs <= pauseReplicaLagMs) {
            throw new IllegalArgumentException("purge." + PurgeKeys.ABORT_REPLICA_LAG_MS + " " + abortReplicaLagMs
                    + " must be above purge." + PurgeKeys.MAX_REPLICA_LAG_MS + " " + pauseReplicaLagMs);
        }
        if (abortThreadsRunning <= pauseThreadsRunning) {
            throw new IllegalArgumentException("purge." + PurgeKeys.ABORT_THREADS_RUNNING + " " + abortThreadsRunning
                    + " must be above purge." + PurgeKeys.MAX_THREADS_RUNNING + " " + pauseThreadsRunning);
        }
        if (chunkInitialRows < 1 || chunkMaxRows < 1 || chunkTargetMs < 1 || maxRowsPerSecond < 0) {
            throw new IllegalArgumentException("chunk sizes and the chunk target must be positive, the rate >= 0");
        }
        if (quietWindowMs < 0 || maxCaptureLagMs < 0 || captureStatusMaxAgeMs < 1 || archiveWaitMs < 0) {
            throw new IllegalArgumentException("the quiet window, capture lag, status age and archive wait must be"
                    + " >= 0 (the status age > 0)");
        }
        pauseFile = pauseFile == null ? Optional.empty() : pauseFile;
    }

    /** The defaults of {@link PurgeKeys#definition()}: what a config without a {@code purge} section gets. */
    public static PurgeSettings defaults() {
        return from(PurgeKeys.definition().parse(
                com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode(), "defaults"), null);
    }

    /** The settings of a loaded config; relative pause-file paths are relative to {@code configDir}. */
    public static PurgeSettings from(MitosisConfig config, Path configDir) {
        Optional<ConfigValues> section = config.values().findSection(PurgeKeys.PURGE);
        return section.map(values -> from(values, configDir)).orElseGet(PurgeSettings::defaults);
    }

    private static PurgeSettings from(ConfigValues values, Path configDir) {
        Optional<Path> pauseFile = values.findString(PurgeKeys.PAUSE_FILE).map(Path::of)
                .map(p -> configDir == null || p.isAbsolute() ? p : configDir.resolve(p));
        return new PurgeSettings(
                values.getLong(PurgeKeys.CHUNK_TARGET_MS),
                values.getInt(PurgeKeys.CHUNK_INITIAL_ROWS),
                values.getInt(PurgeKeys.CHUNK_MAX_ROWS),
                values.getLong(PurgeKeys.MAX_ROWS_PER_SECOND),
                values.getLong(PurgeKeys.MAX_REPLICA_LAG_MS),
                values.getLong(PurgeKeys.ABORT_REPLICA_LAG_MS),
                values.getInt(PurgeKeys.MAX_THREADS_RUNNING),
                values.getInt(PurgeKeys.ABORT_THREADS_RUNNING),
                values.getLong(PurgeKeys.QUIET_WINDOW_MS),
                pauseFile,
                values.getLong(PurgeKeys.MAX_CAPTURE_LAG_MS),
                values.getLong(PurgeKeys.CAPTURE_STATUS_MAX_AGE_MS),
                values.getLong(PurgeKeys.ARCHIVE_WAIT_MS));
    }

    /** The capture lag above which the purge does not start, and pauses. */
    public Duration maxCaptureLag() {
        return Duration.ofMillis(maxCaptureLagMs);
    }

    /** The age beyond which a capture status tells nothing. */
    public Duration captureStatusMaxAge() {
        return Duration.ofMillis(captureStatusMaxAgeMs);
    }

    /** The quiet window for misrouted writes. */
    public Duration quietWindow() {
        return Duration.ofMillis(quietWindowMs);
    }

    /** The same settings with another rows/s cap (the command's {@code --max-rows-per-second}). */
    public PurgeSettings withMaxRowsPerSecond(long rowsPerSecond) {
        return new PurgeSettings(chunkTargetMs, chunkInitialRows, chunkMaxRows, rowsPerSecond, pauseReplicaLagMs,
                abortReplicaLagMs, pauseThreadsRunning, abortThreadsRunning, quietWindowMs, pauseFile,
                maxCaptureLagMs, captureStatusMaxAgeMs, archiveWaitMs);
    }

    /** The same settings with a control file. */
    public PurgeSettings withPauseFile(Path file) {
        return new PurgeSettings(chunkTargetMs, chunkInitialRows, chunkMaxRows, maxRowsPerSecond, pauseReplicaLagMs,
                abortReplicaLagMs, pauseThreadsRunning, abortThreadsRunning, quietWindowMs, Optional.of(file),
                maxCaptureLagMs, captureStatusMaxAgeMs, archiveWaitMs);
    }

    /** The same settings with other replica-lag thresholds. */
    public PurgeSettings withReplicaLagMs(long pauseMs, long abortMs) {
        return new PurgeSettings(chunkTargetMs, chunkInitialRows, chunkMaxRows, maxRowsPerSecond, pauseMs,
                abortMs, pauseThreadsRunning, abortThreadsRunning, quietWindowMs, pauseFile,
                maxCaptureLagMs, captureStatusMaxAgeMs, archiveWaitMs);
    }

    /** The same settings with other chunk sizes. */
    public PurgeSettings withChunks(long targetMs, int initialRows, int maxRows) {
        return new PurgeSettings(targetMs, initialRows, maxRows, maxRowsPerSecond, pauseReplicaLagMs,
                abortReplicaLagMs, pauseThreadsRunning, abortThreadsRunning, quietWindowMs, pauseFile,
                maxCaptureLagMs, captureStatusMaxAgeMs, archiveWaitMs);
    }

    /** The same settings with other capture bounds: lag, status age, the end-of-run archive wait. */
    public PurgeSettings withCapture(long maxLagMs, long statusMaxAgeMs, long archiveWaitMillis) {
        return new PurgeSettings(chunkTargetMs, chunkInitialRows, chunkMaxRows, maxRowsPerSecond, pauseReplicaLagMs,
                abortReplicaLagMs, pauseThreadsRunning, abortThreadsRunning, quietWindowMs, pauseFile,
                maxLagMs, statusMaxAgeMs, archiveWaitMillis);
    }

    /** The same settings with another quiet window. */
    public PurgeSettings withQuietWindowMs(long windowMs) {
        return new PurgeSettings(chunkTargetMs, chunkInitialRows, chunkMaxRows, maxRowsPerSecond, pauseReplicaLagMs,
                abortReplicaLagMs, pauseThreadsRunning, abortThreadsRunning, windowMs, pauseFile,
                maxCaptureLagMs, captureStatusMaxAgeMs, archiveWaitMs);
    }
}
