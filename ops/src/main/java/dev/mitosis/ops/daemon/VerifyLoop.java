package dev.mitosis.ops.daemon;

import dev.mitosis.connectors.time.Sleeper;
import dev.mitosis.connectors.topology.MitosisConfig;
import dev.mitosis.connectors.topology.Pair;
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
 * Verifies one pair again and again: a whole pass ({@link PairVerifier}, as {@code mitosis verify --once} runs it)
 * with its checkpoint and reports in the daemon's state dir, the verdict stored for the gate, then a pause.
 * Stopped, it ends after the chunk under way with the checkpoint kept, so the next start resumes there.
 */
final class VerifyLoop {

    private static final Logger LOG = LoggerFactory.getLogger(VerifyLoop.class);

    private final Pair pair;
    private final MitosisConfig config;
    private final Path dir;
    private final Duration interval;
    private final VerdictStore store;
    private final Clock clock;
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final AtomicReference<PairVerifier> current = new AtomicReference<>();
    private final AtomicReference<PairReport> last = new AtomicReference<>();
    private final AtomicReference<String> state = new AtomicReference<>("NEW");
    private final AtomicLong passes = new AtomicLong();
    private final AtomicLong tablesDone = new AtomicLong();
    private volatile String currentTable = "";
    private volatile String lastError = "";
    private final Thread thread;

    VerifyLoop(Pair pair, MitosisConfig config, Path dir, Duration interval, VerdictStore store, Clock clock) {
        this.pair = pair;
        this.config = config;
        this.dir = dir;
        this.interval = interval;
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

    /** The newest verdict this loop reached, if any. */
    Optional<PairReport> last() {
        return Optional.ofNullable(last.get());
    }

    private void run() {
        try {
            while (stopRequested.getCount() > 0) {
                PairVerifier verifier = new PairVerifier(pair, config.schemas(), VerifySettings.from(config), clock,
                        Sleeper.SYSTEM);
                current.set(verifier);
                if (stopRequested.getCount() == 0) {
                    break;
                }
                tablesDone.set(0);
                PairReport report = verifier.verify(new PairVerifier.Request(List.of(), Optional.of(dir),
                        listener(), d -> { }));
                if (verifier.stopRequested()) {
                    break;
                }
                ReportFiles.write(dir, report);
                last.set(report);
                passes.incrementAndGet();
                try {
                    store.publish(report);
                    lastError = "";
                } catch (RuntimeException e) {
                    // The gate then reads an older verdict or none: UNKNOWN or stale, the safe side.
                    lastError = "verdict not stored: " + e.getMessage();
                    LOG.warn("event=verdict_not_stored pair={} error=\"{}\"", pair.number(), e.getMessage());
                }
                LOG.info("event=verify_pass pair={} verdict={} tables={} duration_ms={}", pair.number(),
                        report.verdict(), report.tables().size(), report.durationMs());
                currentTable = "";
                state.set("WAITING");
                if (stopRequested.await(interval.toMillis(), TimeUnit.MILLISECONDS)) {
                    break;
                }
                state.set("RUNNING");
            }
            state.set("STOPPED");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            state.set("STOPPED");
        } catch (RuntimeException e) {
            lastError = e.toString();
            state.set("FAILED");
            LOG.error("event=verify_failed pair={} error=\"{}\"", pair.number(), e.toString());
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
            public void tableDone(TableReport report) {
                tablesDone.incrementAndGet();
            }
        };
    }

    /**
     * A stop that came while the verifier was being created found it NEW, where {@link PairVerifier#stop()} does
     * nothing; the verifier's own thread repeats it here, once the run is RUNNING.
     */
    private void stopIfAsked() {
        PairVerifier verifier = current.get();
        if (stopRequested.getCount() == 0 && verifier != null) {
            verifier.stop();
        }
    }

    /** Asks the pass under way to end after its chunk; does not wait. */
    void stop() {
        stopRequested.countDown();
        PairVerifier verifier = current.get();
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
        s.put("passes", passes.get());
        s.put("currentTable", currentTable);
        s.put("tablesDoneThisPass", tablesDone.get());
        PairReport report = last.get();
        if (report != null) {
            s.put("lastVerdict", report.verdict());
            s.put("lastFinishedAt", report.finishedAt());
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
