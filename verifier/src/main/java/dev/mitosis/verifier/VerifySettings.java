package dev.mitosis.verifier;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.mitosis.connectors.config.ConfigValues;
import dev.mitosis.connectors.topology.MitosisConfig;
import dev.mitosis.connectors.topology.MitosisConfigDef;

import java.time.Duration;

/**
 * The {@code verify} section of mitosis.yaml, resolved (defaults filled in when the section is left out).
 *
 * @param chunkTargetMs          the time one chunk checksum should take on the slower server
 * @param chunkInitialRows       the rows of a table's first chunk
 * @param chunkMaxRows           the most rows one chunk may span
 * @param recheckMaxAttempts     re-reads of a differing chunk before it is declared hot
 * @param recheckWait            how long one MASTER_GTID_WAIT may take
 * @param maxAge                 how long a PASS stays fresh at the gate
 * @param maxThreadsRunning      back off while a server runs more threads than this
 * @param statementTimeout       max_statement_time of the verifier's sessions
 * @param lockWaitTimeoutSeconds lock_wait_timeout and innodb_lock_wait_timeout of its sessions
 */
public record VerifySettings(long chunkTargetMs, int chunkInitialRows, int chunkMaxRows, int recheckMaxAttempts,
                             Duration recheckWait, Duration maxAge, int maxThreadsRunning, Duration statementTimeout,
                             int lockWaitTimeoutSeconds) {

    /** The settings of a loaded config. */
    public static VerifySettings from(MitosisConfig config) {
        return from(config.values().findSection(MitosisConfigDef.VERIFY).orElseGet(VerifySettings::defaultValues));
    }

    /** Every key at its declared default. */
    public static VerifySettings defaults() {
        return from(defaultValues());
    }

    private static ConfigValues defaultValues() {
        return MitosisConfigDef.verify().parse(JsonNodeFactory.instance.objectNode(), "verify defaults");
    }

    static VerifySettings from(ConfigValues v) {
        return new VerifySettings(v.getLong(MitosisConfigDef.CHUNK_TARGET_MS), v.getInt(MitosisConfigDef.CHUNK_INITIAL_ROWS),
                v.getInt(MitosisConfigDef.CHUNK_MAX_ROWS), v.getInt(MitosisConfigDef.RECHECK_MAX_ATTEMPTS),
                Duration.ofMillis(v.getLong(MitosisConfigDef.RECHECK_WAIT_MS)),
                Duration.ofMillis(v.getLong(MitosisConfigDef.MAX_AGE_MS)), v.getInt(MitosisConfigDef.MAX_THREADS_RUNNING),
                Duration.ofMillis(v.getLong(MitosisConfigDef.STATEMENT_TIMEOUT_MS)),
                v.getInt(MitosisConfigDef.LOCK_WAIT_TIMEOUT_SECONDS));
    }

    /** A copy with other chunk sizing, for tests and benchmarks that need many small chunks. */
    public VerifySettings withChunkRows(int initialRows, int maxRows) {
        return new VerifySettings(chunkTargetMs, initialRows, maxRows, recheckMaxAttempts, recheckWait, maxAge,
                maxThreadsRunning, statementTimeout, lockWaitTimeoutSeconds);
    }

    /** A copy with another re-check bound. */
    public VerifySettings withRecheck(int maxAttempts, Duration wait) {
        return new VerifySettings(chunkTargetMs, chunkInitialRows, chunkMaxRows, maxAttempts, wait, maxAge,
                maxThreadsRunning, statementTimeout, lockWaitTimeoutSeconds);
    }

    /** A copy with other pacing: the chunk target time and the Threads_running threshold. */
    public VerifySettings withPacing(long targetMs, int threadsRunning) {
        return new VerifySettings(targetMs, chunkInitialRows, chunkMaxRows, recheckMaxAttempts, recheckWait, maxAge,
                threadsRunning, statementTimeout, lockWaitTimeoutSeconds);
    }
}
