package dev.mitosis.purger.internal;

import dev.mitosis.connectors.time.Sleeper;

import dev.mitosis.purger.ThrottleDecision;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * The worker's side of throttling: {@link #awaitPermit} returns when the observer says go and the rows/s cap
 * allows the next chunk, waits while it says pause, and throws when it says abort.
 */
public final class Throttle {

    /** How often a paused worker asks again. */
    static final Duration POLL = Duration.ofMillis(100);

    private final ThrottleObserver observer;
    private final RatePacer pacer;
    private final Sleeper sleeper;

    public Throttle(ThrottleObserver observer, RatePacer pacer, Sleeper sleeper) {
        this.observer = observer;
        this.pacer = pacer;
        this.sleeper = sleeper;
    }

    /**
     * Waits for permission to run the next chunk.
     *
     * @param running whether the worker should go on; checked while waiting
     * @return true to go on, false when {@code running} turned false while waiting
     * @throws PurgeAbortedException when the observer says abort
     */
    public boolean awaitPermit(BooleanSupplier running) throws InterruptedException, PurgeAbortedException {
        while (running.getAsBoolean()) {
            ThrottleDecision decision = observer.decision();
            switch (decision.state()) {
                case ABORT -> throw new PurgeAbortedException(decision.reason());
                case PAUSE -> sleeper.sleep(POLL);
                case GO -> {
                    long waitMs = pacer.waitMs();
                    if (waitMs <= 0) {
                        return true;
                    }
                    sleeper.sleep(Duration.ofMillis(Math.min(waitMs, POLL.toMillis())));
                }
            }
        }
        return false;
    }

    /** The current decision. */
    public ThrottleDecision decision() {
        return observer.decision();
    }

    /** The rows/s cap now. */
    public long rowsPerSecond() {
        return pacer.rowsPerSecond();
    }
}
