package dev.mitosis.purger;

import java.util.Objects;

/**
 * What the throttle observer last decided, with the reason an operator reads.
 *
 * @param state  go on, pause, or stop the purge
 * @param reason e.g. {@code "replica p0-b lag 812 ms > 500 ms"}; {@code "ok"} when going on
 */
public record ThrottleDecision(State state, String reason) {

    /** The three answers of the throttle. */
    public enum State {
        /** Delete the next chunk. */
        GO,
        /** Wait and ask again: a pause threshold is exceeded, a probe cannot answer, or an operator paused. */
        PAUSE,
        /** Stop after the last checkpoint: an abort threshold is exceeded. */
        ABORT
    }

    /** Checks all parts are present. */
    public ThrottleDecision {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(reason, "reason");
    }

    /** Go on. */
    public static ThrottleDecision go() {
        return new ThrottleDecision(State.GO, "ok");
    }

    /** Pause for {@code reason}. */
    public static ThrottleDecision pause(String reason) {
        return new ThrottleDecision(State.PAUSE, reason);
    }

    /** Abort for {@code reason}. */
    public static ThrottleDecision abort(String reason) {
        return new ThrottleDecision(State.ABORT, reason);
    }

    @Override
    public String toString() {
        return switch (state) {
            case GO -> "running";
            case PAUSE -> "paused: " + reason;
            case ABORT -> "aborted: " + reason;
        };
    }
}
