package dev.mitosis.capture;

import dev.mitosis.connectors.capture.CaptureState;

import java.time.Instant;
import java.util.Optional;

/**
 * How capture of one server stands, for in-process readers (the daemon's status, {@code mitosis capture}'s stderr);
 * the purger and {@code ops} read the same state from {@code <prefix>.capture.health}
 * ({@link dev.mitosis.connectors.capture.CaptureStatus}).
 *
 * @param server          the server's name
 * @param state           STARTING, RUNNING, CATCHING_UP (the last event is older than the lag bound), RETRYING
 *                        (the engine failed and is being restarted), FAILED (not retriable: see {@code error}) or
 *                        STOPPED
 * @param processedGtid   the server's GTID position up to which every change is acknowledged in Kafka (empty before
 *                        the first acknowledgement and with no stored offset)
 * @param lastGtid        the GTID of the last event published (empty before the first)
 * @param lastSourceTime  the source timestamp of that event
 * @param lagMillis       now minus that source time, when the event was published (-1 before the first event)
 * @param events          events published since start
 * @param eventsPerSecond one-minute rate
 * @param retries         engine restarts since start
 * @param error           why it failed or last retried
 */
public record ServerHealth(String server, CaptureState state, Optional<String> processedGtid,
                           Optional<String> lastGtid, Optional<Instant> lastSourceTime, long lagMillis, long events,
                           double eventsPerSecond, long retries, Optional<String> error) {
}
