package dev.mitosis.ops.purge;

import dev.mitosis.ops.cli.ExitCodes;
import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Turns SIGINT and SIGTERM into an orderly stop of a running job (it ends after its last checkpoint) instead of
 * an exit mid-chunk, and remembers which came, for exit code 130 or 143. The previous handlers come back on close.
 */
final class SignalStop implements AutoCloseable {

    private final Map<String, SignalHandler> previous = new HashMap<>();
    private final AtomicInteger exitCode = new AtomicInteger(0);

    SignalStop(Runnable stop) {
        install("INT", ExitCodes.INTERRUPTED, stop);
        install("TERM", ExitCodes.TERMINATED, stop);
    }

    private void install(String name, int code, Runnable stop) {
        try {
            previous.put(name, Signal.handle(new Signal(name), signal -> {
                exitCode.compareAndSet(0, code);
                stop.run();
            }));
        } catch (IllegalArgumentException e) {
            // The JVM reserves the signal (e.g. -Xrs): the default handling stays.
        }
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
