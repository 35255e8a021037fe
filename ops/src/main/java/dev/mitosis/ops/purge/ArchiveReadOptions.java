package dev.mitosis.ops.purge;

import dev.mitosis.ops.cli.OperatorException;
import picocli.CommandLine.Option;

import java.time.Duration;

/**
 * How long a command that reads the purge archive (the change stream) waits: for capture to cover the server's
 * position, and for a read of the archive that brings nothing. Shared by {@code prove} and {@code purge undo}.
 */
public final class ArchiveReadOptions {

    @Option(names = "--capture-wait-s", paramLabel = "SECONDS", defaultValue = "30",
            description = "how long to wait for capture to cover the server's current position (default: ${DEFAULT-VALUE})")
    long captureWaitSeconds;

    @Option(names = "--kafka-timeout-s", paramLabel = "SECONDS", defaultValue = "30",
            description = "how long a read of the archive may bring nothing before it counts as unreadable"
                    + " (default: ${DEFAULT-VALUE})")
    long kafkaTimeoutSeconds;

    /** The wait for capture, or a usage error naming the option. */
    public Duration captureWait() {
        if (captureWaitSeconds < 0) {
            throw OperatorException.usage("--capture-wait-s " + captureWaitSeconds + ": expected >= 0");
        }
        return Duration.ofSeconds(captureWaitSeconds);
    }

    /** The bound of one archive read, or a usage error naming the option. */
    public Duration kafkaTimeout() {
        if (kafkaTimeoutSeconds < 1) {
            throw OperatorException.usage("--kafka-timeout-s " + kafkaTimeoutSeconds + ": expected >= 1");
        }
        return Duration.ofSeconds(kafkaTimeoutSeconds);
    }
}
