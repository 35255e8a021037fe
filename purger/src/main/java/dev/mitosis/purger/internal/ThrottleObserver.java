package dev.mitosis.purger.internal;

import dev.mitosis.purger.PurgeListener;
import dev.mitosis.purger.PurgeSettings;
import dev.mitosis.purger.ThrottleDecision;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * Samples everything that should slow the purge down and publishes one decision with its reason (gh-ost's
 * throttler): the lag of every replica, {@code Threads_running}, the heartbeat writer's health, the lag of capture
 * of the purged server (every delete's before-image must reach the archive) and the operator's control file. Pause and abort have separate thresholds; anything that cannot be measured pauses. The worker only
 * reads {@link #decision()}; {@link #sample()} runs on the observer's own schedule.
 */
public final class ThrottleObserver {

    private static final Logger LOG = LoggerFactory.getLogger(ThrottleObserver.class);
    /** A heartbeat older than this means the writer is stuck, and lag readings mean nothing. */
    static final long HEARTBEAT_STALE_MS = 2_000;
    /** A decision older than this is not trusted: the sampling thread is stuck (e.g. on a hung server). */
    static final long DECISION_STALE_MS = 2_000;

    private final PurgeSettings settings;
    /** Replicas paused for lag and not yet back below {@link #resumeLagMs()}. */
    private final Set<String> lagging = ConcurrentHashMap.newKeySet();
    private final List<LagProbe> replicas;
    private final LoadProbe load;
    private final LongSupplier heartbeatAgeMs;
    private final Optional<ControlFile> controlFile;
    private final Optional<CaptureLagProbe> capture;
    private final RatePacer pacer;
    private final long configuredRate;
    private final PurgeListener listener;
    private final Clock clock;
    private volatile long sampledAtMs;
    private final AtomicReference<ThrottleDecision> decision =
            new AtomicReference<>(ThrottleDecision.pause("not sampled yet"));

    public ThrottleObserver(PurgeSettings settings, List<LagProbe> replicas, LoadProbe load,
                            LongSupplier heartbeatAgeMs, Optional<ControlFile> controlFile,
                            Optional<CaptureLagProbe> capture, RatePacer pacer, PurgeListener listener, Clock clock) {
        this.settings = settings;
        this.replicas = List.copyOf(replicas);
        this.load = load;
        this.heartbeatAgeMs = heartbeatAgeMs;
        this.controlFile = controlFile;
        this.capture = capture;
        this.pacer = pacer;
        this.configuredRate = pacer.rowsPerSecond();
        this.listener = listener;
        this.clock = clock;
        this.sampledAtMs = clock.millis();
    }

    /** The last published decision; a pause when the last sample is too old to trust. */
    public ThrottleDecision decision() {
        ThrottleDecision last = decision.get();
        long age = clock.millis() - sampledAtMs;
        if (age > DECISION_STALE_MS && last.state() == ThrottleDecision.State.GO) {
            return ThrottleDecision.pause("throttle not sampled for " + age + " ms");
        }
        return last;
    }

    /** Samples every input once and publishes the decision; logs a change with old and new value. */
    public ThrottleDecision sample() {
        List<String> aborts = new ArrayList<>();
        List<String> pauses = new ArrayList<>();
        controlFile.ifPresent(file -> applyControl(file, pauses));
        sampleLoad(aborts, pauses);
        sampleReplicas(aborts, pauses);
        capture.flatMap(CaptureLagProbe::whyPause).ifPresent(pauses::add);
        ThrottleDecision now = !aborts.isEmpty() ? ThrottleDecision.abort(String.join("; ", aborts))
                : !pauses.isEmpty() ? ThrottleDecision.pause(String.join("; ", pauses))
                : ThrottleDecision.go();
        sampledAtMs = clock.millis();
        ThrottleDecision old = decision.getAndSet(now);
        if (old.state() != now.state() || (now.state() != ThrottleDecision.State.GO && !sameKind(old, now))) {
            LOG.info("event=throttle_changed old=\"{}\" new=\"{}\"", old, now);
            listener.throttleChanged(old, now);
        }
        return now;
    }

    /** Reasons of one state differ in their numbers every sample; only a new kind of reason is a change. */
    private static boolean sameKind(ThrottleDecision a, ThrottleDecision b) {
        return a.reason().replaceAll("\\d+", "#").equals(b.reason().replaceAll("\\d+", "#"));
    }

    private void applyControl(ControlFile file, List<String> pauses) {
        ControlFile.Commands commands = file.read();
        commands.problem().ifPresent(pauses::add);
        if (commands.pause()) {
            pauses.add("paused by control file " + file.path());
        }
        long wanted = commands.rate().orElse(configuredRate);
        long old = pacer.rowsPerSecond();
        if (wanted != old) {
            pacer.setRowsPerSecond(wanted);
            String by = commands.rate().isPresent() ? "control file " + file.path() : "control file cleared";
            LOG.info("event=tunable_changed key=max.rows.per.second old={} new={} by=\"{}\"", old, wanted, by);
            listener.tunableChanged("max.rows.per.second", Long.toString(old), Long.toString(wanted), by);
        }
    }

    private void sampleLoad(List<String> aborts, List<String> pauses) {
        try {
            long running = load.threadsRunning();
            if (running > settings.abortThreadsRunning()) {
                aborts.add("Threads_running " + running + " > " + settings.abortThreadsRunning());
            } else if (running > settings.pauseThreadsRunning()) {
                pauses.add("Threads_running " + running + " > " + settings.pauseThreadsRunning());
            }
        } catch (SQLException e) {
            pauses.add("Threads_running unknown: " + e.getMessage());
        }
    }

    private void sampleReplicas(List<String> aborts, List<String> pauses) {
        long age = heartbeatAgeMs.getAsLong();
        if (age > HEARTBEAT_STALE_MS) {
            pauses.add(age == Long.MAX_VALUE ? "heartbeat not written yet"
                    : "heartbeat not written for " + age + " ms");
            return;
        }
        for (LagProbe replica : replicas) {
            try {
                OptionalLong lag = replica.lagMs();
                if (lag.isEmpty()) {
                    pauses.add("replica " + replica.name() + " lag unknown: no heartbeat there yet");
                } else if (lag.getAsLong() > settings.abortReplicaLagMs()) {
                    aborts.add("replica " + replica.name() + " lag " + lag.getAsLong() + " ms > "
                            + settings.abortReplicaLagMs() + " ms");
                } else if (lag.getAsLong() > settings.pauseReplicaLagMs()) {
                    lagging.add(replica.name());
                    pauses.add("replica " + replica.name() + " lag " + lag.getAsLong() + " ms > "
                            + settings.pauseReplicaLagMs() + " ms");
                } else if (lagging.contains(replica.name()) && lag.getAsLong() > resumeLagMs()) {
                    pauses.add("replica " + replica.name() + " lag " + lag.getAsLong() + " ms: paused over "
                            + settings.pauseReplicaLagMs() + " ms, resumes below " + resumeLagMs() + " ms");
                } else {
                    lagging.remove(replica.name());
                }
            } catch (SQLException e) {
                pauses.add("replica " + replica.name() + " lag unknown: " + e.getMessage());
            }
        }
    }

    /**
     * A replica paused for lag resumes only below half the pause threshold: the chunks in flight when lag crosses
     * the threshold push it further, and resuming just under it would keep it at the limit.
     */
    private long resumeLagMs() {
        return settings.pauseReplicaLagMs() / 2;
    }
}
