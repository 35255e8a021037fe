package dev.mitosis.capture.internal;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What one server's capture has published, for health and metrics: events (a Dropwizard meter), the GTID and
 * source time of the last event, the lag when it was published, and engine restarts. Metric names are
 * {@code capture.<server>.events|retries|lag.ms}.
 */
public final class CaptureProgress {

    private final Clock clock;
    private final Meter events;
    private final Counter retries;
    private final AtomicReference<String> lastGtid = new AtomicReference<>();
    private final AtomicReference<String> processedGtid = new AtomicReference<>();
    private final AtomicReference<Instant> lastSourceTime = new AtomicReference<>();
    private final AtomicLong lagMillis = new AtomicLong(-1);
    private final AtomicLong lastPublishedMillis = new AtomicLong(-1);

    public CaptureProgress(String server, MetricRegistry registry, Clock clock) {
        this.clock = clock;
        String base = MetricRegistry.name("capture", server);
        this.events = registry.meter(MetricRegistry.name(base, "events"));
        this.retries = registry.counter(MetricRegistry.name(base, "retries"));
        registry.gauge(MetricRegistry.name(base, "lag.ms"), () -> (Gauge<Long>) lagMillis::get);
    }

    /** A batch of {@code count} events was acknowledged by the broker; the last one had this GTID and time. */
    void published(int count, String gtid, Instant sourceTime) {
        events.mark(count);
        lastPublishedMillis.set(clock.millis());
        if (gtid != null) {
            lastGtid.set(gtid);
        }
        if (sourceTime != null) {
            lastSourceTime.set(sourceTime);
            lagMillis.set(Math.max(0, clock.millis() - sourceTime.toEpochMilli()));
        }
    }

    /**
     * A batch held only heartbeats: the engine read up to a binlog place with no change in scope before it, so
     * nothing is waiting; the lag is zero.
     */
    void heartbeat() {
        lastPublishedMillis.set(clock.millis());
        lagMillis.set(0);
    }

    /**
     * Every record up to one whose Debezium offset names {@code gtids} (the transactions completed before it) is
     * acknowledged by the broker. Heartbeats count: they move the position while only other schemas are written.
     */
    void acknowledged(String gtids) {
        if (gtids != null && !gtids.isBlank()) {
            processedGtid.set(gtids);
        }
    }

    /** The stored offset's position at an engine start, when nothing was acknowledged in this process yet. */
    void resumedFrom(String gtids) {
        if (gtids != null && !gtids.isBlank()) {
            processedGtid.compareAndSet(null, gtids);
        }
    }

    void retried() {
        retries.inc();
    }

    public long events() {
        return events.getCount();
    }

    public double eventsPerSecond() {
        return events.getOneMinuteRate();
    }

    public long retries() {
        return retries.getCount();
    }

    /** The GTID position up to which every change is acknowledged in Kafka, if known. */
    public Optional<String> processedGtid() {
        return Optional.ofNullable(processedGtid.get());
    }

    public Optional<String> lastGtid() {
        return Optional.ofNullable(lastGtid.get());
    }

    public Optional<Instant> lastSourceTime() {
        return Optional.ofNullable(lastSourceTime.get());
    }

    public long lagMillis() {
        return lagMillis.get();
    }

    /** Whether an event was published less than {@code within} ago. */
    public boolean publishedWithin(java.time.Duration within) {
        long published = lastPublishedMillis.get();
        return published >= 0 && clock.millis() - published < within.toMillis();
    }

    /**
     * Whether capture is behind by more than {@code bound}: the last event was that old when published, and that was
     * less than {@code bound} ago. An engine connected with nothing new to read is caught up, whatever the lag of
     * its last event was.
     */
    public boolean behindBy(java.time.Duration bound) {
        long published = lastPublishedMillis.get();
        return published >= 0 && lagMillis.get() > bound.toMillis() && clock.millis() - published < bound.toMillis();
    }
}
