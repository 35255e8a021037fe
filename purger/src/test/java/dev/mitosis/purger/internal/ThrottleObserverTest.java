package dev.mitosis.purger.internal;

import dev.mitosis.purger.PurgeListener;
import dev.mitosis.purger.PurgeSettings;
import dev.mitosis.purger.ThrottleDecision;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import dev.mitosis.connectors.capture.CaptureState;
import dev.mitosis.connectors.capture.CaptureStatus;
import dev.mitosis.connectors.mariadb.GtidPosition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The observer's decisions from its inputs, and the worker's gate on them; no servers, no sleeping. */
class ThrottleObserverTest {

    @TempDir
    Path dir;

    private final AtomicLong lag = new AtomicLong(0);
    private final AtomicLong threads = new AtomicLong(1);
    private final AtomicLong heartbeatAge = new AtomicLong(50);
    private final List<String> changes = new ArrayList<>();
    private final PurgeSettings settings = PurgeSettings.defaults().withReplicaLagMs(500, 5000)
            .withMaxRowsPerSecond(100);
    private final AtomicLong nowMs = new AtomicLong(0);
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(nowMs.get());
        }
    };
    private final RatePacer pacer = new RatePacer(clock, 100);

    private final LagProbe replica = new LagProbe() {
        @Override
        public String name() {
            return "p0-b";
        }

        @Override
        public OptionalLong lagMs() throws SQLException {
            if (lag.get() == -2) {
                throw new SQLException("Connection refused");
            }
            return lag.get() < 0 ? OptionalLong.empty() : OptionalLong.of(lag.get());
        }
    };

    private final AtomicReference<Optional<CaptureStatus>> captureStatus = new AtomicReference<>(Optional.empty());
    private final AtomicReference<String> serverPosition = new AtomicReference<>("0-1-10");
    private final CaptureLagProbe captureProbe = new CaptureLagProbe("p0-a", () -> {
        if (captureStatus.get() == null) {
            throw new IllegalStateException("Kafka did not answer");
        }
        return captureStatus.get();
    }, () -> {
        if (serverPosition.get() == null) {
            throw new SQLException("Connection refused");
        }
        return GtidPosition.parse(serverPosition.get());
    }, Duration.ofSeconds(10), Duration.ofMillis(500), clock);

    private ThrottleObserver observer(Optional<ControlFile> control) {
        return observer(control, Optional.empty());
    }

    private ThrottleObserver observer(Optional<ControlFile> control, Optional<CaptureLagProbe> capture) {
        return new ThrottleObserver(settings, List.of(replica), threads::get, heartbeatAge::get, control, capture,
                pacer,
                new PurgeListener() {
                    @Override
                    public void throttleChanged(ThrottleDecision old, ThrottleDecision now) {
                        changes.add(old + " -> " + now);
                    }

                    @Override
                    public void tunableChanged(String name, String oldValue, String newValue, String by) {
                        changes.add(name + " " + oldValue + " -> " + newValue);
                    }
                }, clock);
    }

    @Test
    void goesWhenEverythingIsWithinBounds() {
        assertThat(observer(Optional.empty()).sample()).isEqualTo(ThrottleDecision.go());
    }

    @Test
    void lagAbovePauseThresholdPausesNamingTheReplicaAndAboveAbortAborts() {
        ThrottleObserver observer = observer(Optional.empty());
        lag.set(812);
        assertThat(observer.sample()).isEqualTo(ThrottleDecision.pause("replica p0-b lag 812 ms > 500 ms"));
        lag.set(5001);
        assertThat(observer.sample().state()).isEqualTo(ThrottleDecision.State.ABORT);
        assertThat(observer.decision().reason()).isEqualTo("replica p0-b lag 5001 ms > 5000 ms");
        lag.set(10);
        assertThat(observer.sample()).isEqualTo(ThrottleDecision.go());
        assertThat(changes).containsExactly("paused: not sampled yet -> paused: replica p0-b lag 812 ms > 500 ms",
                "paused: replica p0-b lag 812 ms > 500 ms -> aborted: replica p0-b lag 5001 ms > 5000 ms",
                "aborted: replica p0-b lag 5001 ms > 5000 ms -> running");
    }

    @Test
    void aReplicaPausedForLagResumesOnlyBelowHalfThePauseThreshold() {
        ThrottleObserver observer = observer(Optional.empty());
        lag.set(600);
        assertThat(observer.sample().reason()).isEqualTo("replica p0-b lag 600 ms > 500 ms");
        lag.set(400);
        assertThat(observer.sample()).isEqualTo(
                ThrottleDecision.pause("replica p0-b lag 400 ms: paused over 500 ms, resumes below 250 ms"));
        lag.set(249);
        assertThat(observer.sample()).isEqualTo(ThrottleDecision.go());
        lag.set(400);
        assertThat(observer.sample()).as("running, it pauses again only over the threshold").isEqualTo(ThrottleDecision.go());
    }

    @Test
    void aDecisionNotRefreshedForTwoSecondsIsNotTrusted() {
        ThrottleObserver observer = observer(Optional.empty());
        assertThat(observer.sample()).isEqualTo(ThrottleDecision.go());
        nowMs.addAndGet(2001);
        assertThat(observer.decision()).isEqualTo(ThrottleDecision.pause("throttle not sampled for 2001 ms"));
        observer.sample();
        assertThat(observer.decision()).isEqualTo(ThrottleDecision.go());
    }

    @Test
    void whatCannotBeMeasuredPauses() {
        ThrottleObserver observer = observer(Optional.empty());
        lag.set(-1);
        assertThat(observer.sample().reason()).isEqualTo("replica p0-b lag unknown: no heartbeat there yet");
        lag.set(-2);
        assertThat(observer.sample().reason()).isEqualTo("replica p0-b lag unknown: Connection refused");
        lag.set(0);
        heartbeatAge.set(2500);
        assertThat(observer.sample().reason()).isEqualTo("heartbeat not written for 2500 ms");
    }

    @Test
    void threadsRunningPausesAndAbortsOnSeparateThresholds() {
        ThrottleObserver observer = observer(Optional.empty());
        threads.set(settings.pauseThreadsRunning() + 1);
        assertThat(observer.sample().state()).isEqualTo(ThrottleDecision.State.PAUSE);
        threads.set(settings.abortThreadsRunning() + 1);
        assertThat(observer.sample().state()).isEqualTo(ThrottleDecision.State.ABORT);
    }

    @Test
    void controlFilePausesAndSetsTheRateEachChangeLoggedWithOldAndNew() throws IOException {
        Path file = dir.resolve("control");
        ThrottleObserver observer = observer(Optional.of(new ControlFile(file)));
        Files.writeString(file, "pause\n");
        assertThat(observer.sample().reason()).isEqualTo("paused by control file " + file);
        Files.writeString(file, "rate=40\n");
        assertThat(observer.sample()).isEqualTo(ThrottleDecision.go());
        assertThat(pacer.rowsPerSecond()).isEqualTo(40);
        Files.delete(file);
        observer.sample();
        assertThat(pacer.rowsPerSecond()).isEqualTo(100);
        assertThat(changes).contains("max.rows.per.second 100 -> 40", "max.rows.per.second 40 -> 100");
    }

    @Test
    void gateWaitsWhilePausedGoesWhenClearedAndThrowsOnAbort() throws Exception {
        ThrottleObserver observer = observer(Optional.empty());
        lag.set(900);
        observer.sample();
        List<Duration> slept = new ArrayList<>();
        Throttle throttle = new Throttle(observer, pacer, d -> {
            slept.add(d);
            if (slept.size() == 3) {
                lag.set(0);
                observer.sample();
            }
        });

        assertThat(throttle.awaitPermit(() -> true)).isTrue();
        assertThat(slept).hasSize(3).allMatch(d -> d.equals(Duration.ofMillis(100)));
        assertThat(throttle.awaitPermit(() -> false)).isFalse();

        lag.set(9000);
        observer.sample();
        assertThatThrownBy(() -> throttle.awaitPermit(() -> true)).isInstanceOf(PurgeAbortedException.class)
                .hasMessage("replica p0-b lag 9000 ms > 5000 ms");
    }

    private CaptureStatus status(CaptureState state, String processed, long ageMs) {
        return new CaptureStatus("p0-a", state, processed, "", 0, 0, Instant.ofEpochMilli(nowMs.get()), 10,
                1.0, 0, null, Instant.ofEpochMilli(nowMs.get() - ageMs));
    }

    @Test
    void captureBehindTheServerStaleOrMissingPausesWithItsReasonAndCatchingUpResumes() {
        nowMs.set(100_000);
        ThrottleObserver observer = observer(Optional.empty(), Optional.of(captureProbe));
        assertThat(observer.sample()).isEqualTo(ThrottleDecision.pause("capture of p0-a unknown: no status published"));

        nowMs.addAndGet(500);
        captureStatus.set(Optional.of(status(CaptureState.RUNNING, "0-1-5", 300)));
        assertThat(observer.sample().reason()).isEqualTo("capture of p0-a has not processed 0-1-10 yet (the server's"
                + " position 500 ms ago; processed 0-1-5)");
        nowMs.addAndGet(500);
        assertThat(observer.sample().reason())
                .isEqualTo("capture of p0-a lags 1000 ms behind the binlog (processed 0-1-5, server at 0-1-10; limit"
                        + " 500 ms)");

        // Capture reaches the position of 500 ms ago while the server moved on: a lag of 500 ms is within the limit.
        nowMs.addAndGet(500);
        serverPosition.set("0-1-12");
        captureStatus.set(Optional.of(status(CaptureState.RUNNING, "0-1-10", 100)));
        assertThat(observer.sample()).isEqualTo(ThrottleDecision.go());

        nowMs.addAndGet(500);
        captureStatus.set(Optional.of(status(CaptureState.RUNNING, "0-1-12", 12_000)));
        assertThat(observer.sample().reason()).startsWith("capture of p0-a last reported 12000 ms ago (limit 10000 ms)");

        nowMs.addAndGet(500);
        captureStatus.set(Optional.of(status(CaptureState.STOPPED, "0-1-12", 100)));
        assertThat(observer.sample().reason()).isEqualTo("capture of p0-a is STOPPED");

        nowMs.addAndGet(500);
        captureStatus.set(null);
        assertThat(observer.sample().reason()).isEqualTo("capture of p0-a unknown: Kafka did not answer");

        nowMs.addAndGet(500);
        serverPosition.set(null);
        assertThat(observer.sample().reason())
                .isEqualTo("capture of p0-a unknown: cannot read the server's GTID position: Connection refused");

        nowMs.addAndGet(500);
        serverPosition.set("0-1-12");
        captureStatus.set(Optional.of(status(CaptureState.RUNNING, "0-1-12", 200)));
        assertThat(observer.sample()).isEqualTo(ThrottleDecision.go());
        assertThat(changes).contains("paused: capture of p0-a is STOPPED -> paused: capture of p0-a unknown: Kafka did"
                + " not answer", "paused: capture of p0-a unknown: cannot read the server's GTID position: Connection"
                + " refused -> running");
    }

    @Test
    void captureIsSampledAtMostEveryHalfSecond() {
        AtomicLong reads = new AtomicLong();
        CaptureLagProbe probe = new CaptureLagProbe("p0-a", () -> {
            reads.incrementAndGet();
            return Optional.of(status(CaptureState.RUNNING, "0-1-10", 0));
        }, () -> GtidPosition.parse("0-1-10"), Duration.ofSeconds(10), Duration.ofMillis(500), clock);
        for (int i = 0; i < 5; i++) {
            assertThat(probe.whyPause()).isEmpty();
            nowMs.addAndGet(100);
        }
        assertThat(reads.get()).isEqualTo(1);
        assertThat(probe.whyPause()).isEmpty();
        assertThat(reads.get()).isEqualTo(2);
    }
}
