package dev.mitosis.verifier;

import java.util.Optional;

/** Where verdicts live between {@code mitosis verify} and {@code mitosis gate}, across restarts. */
public interface VerdictStore extends AutoCloseable {

    /** Stores a pair's newest verdict; it replaces the previous one as the pair's latest. */
    void publish(PairReport report);

    /** The newest verdict stored for {@code pair}, if any. */
    Optional<PairReport> latest(int pair);

    /** Releases clients; idempotent. */
    @Override
    void close();
}
