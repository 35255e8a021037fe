package dev.mitosis.capture;

import java.time.Instant;
import java.util.Optional;

/**
 * How capture of one server stands, as the purger's interlock and {@code ops} read it.
 *
 * @param server          the server's name
 * @param status          STARTING, RUNNING, CATCHING_UP (the last event is older than the lag bound), RETRYING
 *                        (the engine failed and is being restarted), FAILED (not retriable: see {@code error}) or
 *                        STOPPED
 * @param lastGtid        the GTID of the last event published (empty before the first)
 * @param lastSourceTime  the source timestamp of that event
 * @param lagMillis       now minus that source time, when the event was published (-1 before the first event)
 * @param events          events published since start
 * @param eventsPerSecond one-minute rate
 * @param retries         engine restarts since start
 * @param error           why it failed or last retried
 */
public record ServerHealth(String server, Status status, Optional<String> lastGtid, Optional<Instant> lastSourceTime,
                           long lagMillis, long events, double eventsPerSecond, long retries,
                           Optional<String> error) {

    /** The state of one server's capture. */
    public enum Status { STARTING, RUNNING, CATCHING_UP, RETRYING, FAILED, STOPPED }
}
