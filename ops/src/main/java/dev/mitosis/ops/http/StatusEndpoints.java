package dev.mitosis.ops.http;

import java.util.Map;

/**
 * What a daemon or long-running command reports over HTTP; the {@link StatusServer} only renders it.
 */
public interface StatusEndpoints {

    /** An answer with the HTTP status it maps to and a body rendered as JSON. */
    record Answer(int httpStatus, Object body) {
    }

    /** True once every worker of the process is RUNNING (for {@code /ready}). */
    boolean ready();

    /** Workers, states, lag, progress, verdicts (for {@code /status}). */
    Object status();

    /**
     * The gate of one pair: 200 only for a fresh PASS, 409 for FAIL, 503 for UNKNOWN or stale
     * (for {@code /gate?pair=P}).
     */
    Answer gate(int pair);

    /** Applies a control request (pause, resume, rate) that already passed the token check. */
    Answer control(Map<String, String> parameters);
}
