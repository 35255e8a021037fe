package dev.mitosis.purger;

import dev.mitosis.connectors.capture.CaptureStatus;

import java.util.Optional;

/**
 * The newest status capture published about the purged server ({@link CaptureStatusFollower} reads it from
 * {@code <prefix>.capture.health}). What interlock (4), the capture cause of the throttle and the archive check at
 * the end of a run read.
 */
@FunctionalInterface
public interface CaptureStatusSource {

    /**
     * The newest status, or empty when capture never published one for the server.
     *
     * @throws RuntimeException when the status cannot be read (the broker does not answer): callers fail closed
     */
    Optional<CaptureStatus> latest();
}
