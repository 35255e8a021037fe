package dev.mitosis.ops.daemon;

import dev.mitosis.connectors.kafka.KafkaClients;
import dev.mitosis.connectors.time.Sleeper;
import dev.mitosis.connectors.topology.MitosisConfig;
import dev.mitosis.connectors.topology.Pair;
import dev.mitosis.verifier.ChangedRows;
import dev.mitosis.verifier.ContinuousVerifier;
import dev.mitosis.verifier.KafkaChangedRows;
import dev.mitosis.verifier.PairReport;
import dev.mitosis.verifier.PairVerifier;
import dev.mitosis.verifier.ReportFiles;
import dev.mitosis.verifier.TableReport;
import dev.mitosis.verifier.VerdictStore;
import dev.mitosis.verifier.VerifyListener;
import dev.mitosis.verifier.VerifySettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Verifies one pair continuously, as {@code mitosis verify} without {@code --once} does ({@link ContinuousVerifier}):
 * a full pass with its checkpoint and reports in the daemon's state dir, then, while capture runs, refreshes of a
 * PASS from the change stream, so the stored verdict stays seconds old and a difference among the changed rows turns
 * it FAIL at once; a new full pass every {@code daemon.verify.interval.ms}. Every verdict is stored for the gate.
 * Stopped, it ends after the chunk or refresh under way with a full pass's checkpoint kept.
 */
final class VerifyLoop {

    /** How long a starting loop waits for capture's stream before its first full pass (without it, no refreshes). */
    private static final Duration STREAM_WAIT = Duration.ofSeconds(60);
    private static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(10);
    private static final String REFRESH_NOTE = "refreshed from";
    private static final Logger LOG = LoggerFactory.getLogger(VerifyLoop.class);

    private final Pair pair;
    private final MitosisConfig config;
    private final Path dir;
    private final ContinuousVerifier.Schedule schedule;
    private final VerdictStore store;
    private final Clock clock;
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final AtomicReference<ContinuousVerifier> current = new AtomicReference<>();
    private final AtomicReference<PairReport> last = new AtomicReference<>();
    private final AtomicReference<String> state = new AtomicReference<>("NEW");
    private final AtomicLong passes = new AtomicLong();
    private final AtomicLong refreshes = new AtomicLong();
    private final AtomicLong tablesDone = new AtomicLong();
    private volatile String currentTable = "";
    private volatile String lastError = "";
    private volatile String streamAtStart = "not read yet";
    /** The last time the verifier held back its reads, and why: the reason string of {@code ReadPacer}. */
    private volatile Map<String, Object> lastPacing = Map.of();
    private final Thread thread;

    VerifyLoop(Pair pair, MitosisConfig config, Path dir, ContinuousVerifier.Schedule schedule, VerdictStore store,
               Clock clock) {
        this.pair = pair;
        this.config = config;
        this.dir = dir;
        this.schedule = schedule;
        this.store = store;
        this.clock = clock;
        this.thread = new Thread(this::run, "verify-pair-" + pair.number());
        this.thread.setDaemon(true);
    }

    int pair() {
        return pair.number();
    }

    void start() {
        state.set("RUNNING");
        thread.start();
    }

    /** The newest verdict this loop reached (full pass or refresh), if any. */
    Optional<PairReport> last() {
        return Optional.ofNullable(last.get());
    }

    private void run() {
        VerifySettings settings = VerifySettings.from(config);
        try (ChangedRows changes = new KafkaChangedRows(pair, new KafkaClients(config.kafka()), settings.recheckWait(),
                KAFKA_TIMEOUT, clock)) {
            awaitStream(changes);
            if (stopRequested.getCount() == 0) {
                state.set("STOPPED");
                return;
            }
            ContinuousVerifier verifier = new ContinuousVerifier(pair, config.schemas(), settings, changes, schedule,
                    new PairVerifier.Request(List.of(), Optional.of(dir), listener(), d -> { }), this::verdict,
                    clock, Sleeper.SYSTEM);
            current.set(verifier);
            if (stopRequested.getCount() > 0) {
                try {
                    verifier.run();
                } catch (IllegalStateException e) {
                    // stop() came between the check and run(): the verifier went NEW -> STOPPED, nothing ran
                    if (verifier.state() != ContinuousVerifier.State.STOPPED) {
                        throw e;
                    }
                }
            }
            state.set("STOPPED");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            state.set("STOPPED");
        } catch (RuntimeException e) {
            lastError = e.toString();
            state.set("FAILED");
            LOG.error("event=verify_failed pair={} error=\"{}\"", pair.number(), e.toString());
        } finally {
            currentTable = "";
        }
    }

    /**
     * A full pass only refreshes afterwards if the stream could be followed when it started; capture started by the
     * same daemon needs a few seconds, so the first pass waits for it, bounded, and goes without it after that.
     */
    private void awaitStream(ChangedRows changes) throws InterruptedException {
        state.set("WAITING_FOR_CAPTURE");
        long deadline = System.nanoTime() + STREAM_WAIT.toNanos();
        Optional<String> why = changes.unavailable();
        while (why.isPresent() && System.nanoTime() < deadline) {
            streamAtStart = why.get();
            if (stopRequested.await(500, TimeUnit.MILLISECONDS)) {
                return;
            }
            why = changes.unavailable();
        }
        streamAtStart = why.orElse("available");
        if (why.isPresent()) {
            LOG.info("event=verify_without_stream pair={} reason=\"{}\" next=full passes only until it is available",
                    pair.number(), why.get());
        }
        state.set("RUNNING");
    }

    /** Every verdict, full pass or refresh: report files, the store for the gate, the status. */
    private void verdict(PairReport report) {
        boolean refresh = report.notes().stream().anyMatch(n -> n.startsWith(REFRESH_NOTE));
        PairReport before = last.getAndSet(report);
        (refresh ? refreshes : passes).incrementAndGet();
        if (!refresh) {
            currentTable = "";
            tablesDone.set(0);
        }
        ReportFiles.write(dir, report);
        try {
            store.publish(report);
            lastError = "";
        } catch (RuntimeException e) {
            // The gate then reads an older verdict or none: UNKNOWN or stale, the safe side.
            lastError = "verdict not stored: " + e.getMessage();
            LOG.warn("event=verdict_not_stored pair={} error=\"{}\"", pair.number(), e.getMessage());
        }
        if (!refresh || before == null || before.verdict() != report.verdict()) {
            LOG.info("event=verify_verdict pair={} verdict={} from={} tables={} duration_ms={} reasons=\"{}\"",
                    pair.number(), report.verdict(), refresh ? "refresh" : "full-pass", report.tables().size(),
                    report.durationMs(), report.reasons());
        }
    }

    private VerifyListener listener() {
        return new VerifyListener() {
            @Override
            public void tableStarted(String table, long estimatedRows, long rowsDoneBefore) {
                currentTable = table;
                stopIfAsked();
            }

            @Override
            public void chunkDone(String table, long chunkRows, long tableRowsDone, long tableChunksDone,
                                  int nextChunkRows) {
                stopIfAsked();
            }

            @Override
            public void backingOff(String reason) {
                lastPacing = Map.of("reason", reason, "at", clock.instant().toString());
            }

            @Override
            public void tableDone(TableReport report) {
                tablesDone.incrementAndGet();
            }
        };
    }

    /**
     * A stop that came while a full pass was being created found it NEW, where {@link PairVerifier#stop()} does
     * nothing; the pass's own thread repeats it here, once the pass is RUNNING.
     */
    private void stopIfAsked() {
        ContinuousVerifier verifier = current.get();
        if (stopRequested.getCount() == 0 && verifier != null) {
            verifier.stop();
        }
    }

    /** Asks the work under way to end after its chunk or refresh; does not wait. */
    void stop() {
        stopRequested.countDown();
        ContinuousVerifier verifier = current.get();
        if (verifier != null) {
            verifier.stop();
        }
    }

    /** Waits for the loop to end; whether it did within {@code timeout}. */
    boolean awaitStopped(Duration timeout) throws InterruptedException {
        thread.join(Math.max(1, timeout.toMillis()));
        return !thread.isAlive();
    }

    Map<String, Object> status() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("worker", "verify");
        s.put("pair", pair.number());
        s.put("state", state.get());
        s.put("mode", "continuous");
        s.put("fullPassIntervalMs", schedule.fullPassInterval().toMillis());
        s.put("refreshIntervalMs", schedule.refreshInterval().toMillis());
        s.put("passes", passes.get());
        s.put("refreshes", refreshes.get());
        s.put("changeStreamAtStart", streamAtStart);
        s.put("currentTable", currentTable);
        s.put("tablesDoneThisPass", tablesDone.get());
        if (!lastPacing.isEmpty()) {
            s.put("lastPacing", lastPacing);
        }
        PairReport report = last.get();
        if (report != null) {
            s.put("lastVerdict", report.verdict());
            s.put("lastFrom", report.notes().stream().anyMatch(n -> n.startsWith(REFRESH_NOTE)) ? "refresh"
                    : "full-pass");
            s.put("lastFinishedAt", report.finishedAt());
            s.put("lastGtidA", report.gtidA());
            s.put("lastGtidA0", report.gtidA0());
            s.put("lastReasons", report.reasons());
            s.put("coverage", report.totals());
        }
        if (!lastError.isEmpty()) {
            s.put("error", lastError);
        }
        s.put("reportDir", dir.toAbsolutePath().toString());
        return s;
    }

    String state() {
        return state.get();
    }
}
