package dev.mitosis.connectors.time;

import java.time.Duration;

/** Waits for a while; injected beside a {@link java.time.Clock} so tests of timing never sleep. */
@FunctionalInterface
public interface Sleeper {

    /** The real one: {@link Thread#sleep}. */
    Sleeper SYSTEM = duration -> Thread.sleep(duration.toMillis());

    /** Waits {@code duration}, or less if interrupted. */
    void sleep(Duration duration) throws InterruptedException;
}
