package dev.mitosis.verifier.internal;

import dev.mitosis.connectors.time.Sleeper;
import dev.mitosis.verifier.VerifyListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * Paces the verifier's reads by what the primaries show, not by replica lag (a pair's verifier adds no replication
 * traffic): before a chunk it waits while either server runs more than {@code verify.max.threads.running} threads;
 * after a chunk whose checksum took over twice {@code verify.chunk.target.ms} on the slower server — the server is
 * slower than the chunk was sized for, so something else wants it — it rests as long as the chunk took, so the
 * verifier holds a contended server at most half the time. Every wait is reported with its reason, to the listener
 * (progress, daemon status) and the log.
 */
final class ReadPacer {

    private static final Logger LOG = LoggerFactory.getLogger(ReadPacer.class);

    /** How often a busy server is waited for before the chunk is read anyway (the wait is a courtesy, not a gate). */
    static final int MAX_BACKOFFS_PER_CHUNK = 20;
    /** The longest rest after one slow chunk. */
    static final Duration MAX_REST = Duration.ofSeconds(10);
    private static final Duration SLICE = Duration.ofMillis(250);

    private final BothServers servers;
    private final long chunkTargetMs;
    private final int maxThreadsRunning;
    private final VerifyListener listener;
    private final Sleeper sleeper;

    ReadPacer(BothServers servers, long chunkTargetMs, int maxThreadsRunning, VerifyListener listener, Sleeper sleeper) {
        this.servers = servers;
        this.chunkTargetMs = chunkTargetMs;
        this.maxThreadsRunning = maxThreadsRunning;
        this.listener = listener;
        this.sleeper = sleeper;
    }

    /** Waits, a chunk target at a time and a bounded number of times, while either server is busy. */
    void beforeChunk(BooleanSupplier keepGoing) throws SQLException, InterruptedException {
        for (int i = 0; i < MAX_BACKOFFS_PER_CHUNK && keepGoing.getAsBoolean(); i++) {
            BothServers.Both<Long> running = servers.run(ServerSession::threadsRunning);
            Optional<String> busy = busy(running.a(), running.a0(), servers.a().serverName(), servers.a0().serverName(),
                    maxThreadsRunning);
            if (busy.isEmpty()) {
                return;
            }
            pause(busy.get() + ": waiting " + chunkTargetMs + " ms", Duration.ofMillis(chunkTargetMs), keepGoing);
        }
    }

    /** Rests after a chunk that took the slower server over twice the target. */
    void afterChunk(ChunkComparer.Result result, int rows, BooleanSupplier keepGoing) throws InterruptedException {
        boolean aSlower = result.a().millis() >= result.a0().millis();
        long millis = aSlower ? result.a().millis() : result.a0().millis();
        String server = aSlower ? servers.a().serverName() : servers.a0().serverName();
        Optional<Duration> rest = restAfter(millis, chunkTargetMs);
        if (rest.isPresent()) {
            pause(server + " took " + millis + " ms for a chunk of " + rows + " rows, over twice verify.chunk.target.ms "
                    + chunkTargetMs + ": resting " + rest.get().toMillis() + " ms", rest.get(), keepGoing);
        }
    }

    /** Why a server counts as busy, if one does: the busier of the two, over the threshold. */
    static Optional<String> busy(long runningA, long runningA0, String nameA, String nameA0, int max) {
        long busiest = Math.max(runningA, runningA0);
        if (busiest <= max) {
            return Optional.empty();
        }
        String who = runningA >= runningA0 ? nameA : nameA0;
        return Optional.of(who + " Threads_running " + busiest + " > verify.max.threads.running " + max);
    }

    /** The rest owed after a chunk that took {@code millis}: as long again, bounded, once over twice the target. */
    static Optional<Duration> restAfter(long millis, long targetMs) {
        if (millis <= 2 * Math.max(1, targetMs)) {
            return Optional.empty();
        }
        return Optional.of(Duration.ofMillis(Math.min(millis, MAX_REST.toMillis())));
    }

    /** Waits in slices, so a stop asked for during a rest is heard within {@link #SLICE}. */
    private void pause(String reason, Duration duration, BooleanSupplier keepGoing) throws InterruptedException {
        LOG.info("event=verify_paced reason=\"{}\"", reason);
        listener.backingOff(reason);
        for (long left = duration.toMillis(); left > 0 && keepGoing.getAsBoolean(); left -= SLICE.toMillis()) {
            sleeper.sleep(Duration.ofMillis(Math.min(left, SLICE.toMillis())));
        }
    }
}
