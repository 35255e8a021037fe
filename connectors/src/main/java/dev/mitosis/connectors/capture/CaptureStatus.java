package dev.mitosis.connectors.capture;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.mitosis.connectors.mariadb.GtidPosition;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * How capture of one server stood when it published this record on {@code <prefix>.capture.health}: what the purger's
 * interlock and throttle, the verifier and {@code ops} read to know whether the change stream is complete.
 *
 * @param server             the server's name in the topology
 * @param state              see {@link CaptureState}
 * @param processedGtid      the server's GTID position up to which every change is acknowledged in Kafka
 *                           (empty text before the first acknowledgement)
 * @param serverGtid         the server's {@code gtid_binlog_pos} sampled just before this record
 * @param transactionsBehind how many transactions {@code processedGtid} is behind {@code serverGtid}
 * @param lagMillis          0 when caught up, else now minus the source time of the oldest unpublished change as far
 *                           as capture can tell (the last published event's source time); -1 when unknown
 * @param lastSourceTime     source time of the last published event, null before the first
 * @param events             events published since the worker started
 * @param eventsPerSecond    one-minute rate
 * @param retries            engine restarts since the worker started
 * @param error              why it failed or last retried; null when none
 * @param publishedAt        when this record was written
 */
public record CaptureStatus(String server, CaptureState state, String processedGtid, String serverGtid,
                            long transactionsBehind, long lagMillis, Instant lastSourceTime, long events,
                            double eventsPerSecond, long retries, String error, Instant publishedAt) {

    /** The processed position as a GTID set. */
    @JsonIgnore
    public GtidPosition processed() {
        return processedGtid == null || processedGtid.isBlank() ? GtidPosition.empty() : GtidPosition.parse(processedGtid);
    }

    /** True if every change up to {@code position} on this server is acknowledged in Kafka. */
    public boolean covers(GtidPosition position) {
        return processed().covers(position);
    }

    /**
     * Why this status does not show a complete, current change stream, or empty if it does: the state is RUNNING,
     * the record is at most {@code maxAge} old and the lag is within {@code maxLag}.
     */
    public Optional<String> whyNotCaughtUp(Instant now, Duration maxAge, Duration maxLag) {
        if (state != CaptureState.RUNNING) {
            return Optional.of("capture of " + server + " is " + state + (error == null ? "" : ": " + error));
        }
        Duration age = Duration.between(publishedAt, now);
        if (age.compareTo(maxAge) > 0) {
            return Optional.of("capture of " + server + " last reported " + age.toMillis() + " ms ago (limit "
                    + maxAge.toMillis() + " ms): is `mitosis capture` running?");
        }
        if (lagMillis < 0 || lagMillis > maxLag.toMillis()) {
            return Optional.of("capture of " + server + " lags " + (lagMillis < 0 ? "an unknown time" : lagMillis + " ms")
                    + " (" + transactionsBehind + " transactions) behind the binlog (limit " + maxLag.toMillis() + " ms)");
        }
        return Optional.empty();
    }
}
