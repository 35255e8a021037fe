package dev.mitosis.ops.daemon;

import dev.mitosis.ops.cli.ExitCodes;
import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * SIGTERM and SIGINT as a request to stop, not an exit: the daemon's main thread then runs the ordered shutdown and
 * returns 143 or 130 itself (a JVM shutdown hook could not print the summary or choose the exit code).
 */
final class DaemonSignals implements AutoCloseable {

    private final Map<String, SignalHandler> previous = new HashMap<>();
    private final AtomicInteger exitCode = new AtomicInteger(0);
    private final CountDownLatch received = new CountDownLatch(1);

    DaemonSignals() {
        install("INT", ExitCodes.INTERRUPTED);
        install("TERM", ExitCodes.TERMINATED);
    }

    private void install(String name, int code) {
        try {
            previous.put(name, Signal.handle(new Signal(name), signal -> {
                exitCode.compareAndSet(0, code);
                received.countDown();
            }));
        } catch (IllegalArgumentException e) {
            // The JVM reserves the signal (e.g. -Xrs): the default handling stays.
        }
    }

    /** Waits up to {@code millis} for a signal; whether one came. */
    boolean await(long millis) throws InterruptedException {
        return received.await(millis, TimeUnit.MILLISECONDS);
    }

    /** 130 after SIGINT, 143 after SIGTERM, 0 if no signal came. */
    int exitCode() {
        return exitCode.get();
    }

    @Override
    public void close() {
        previous.forEach((name, handler) -> Signal.handle(new Signal(name), handler));
    }
}
