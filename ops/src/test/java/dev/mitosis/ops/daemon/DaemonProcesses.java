package dev.mitosis.ops.daemon;

import dev.mitosis.ops.ChildJvm;
import dev.mitosis.ops.Main;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The {@code mitosis daemon} child JVMs one test starts, each with its own config; closing stops every one of them,
 * also those a test stopped already: SIGTERM to all first, so they shut down side by side, then a kill for any not
 * gone within 30 s.
 */
final class DaemonProcesses implements AutoCloseable {

    private final Path dir;
    private final List<Process> started = new ArrayList<>();

    DaemonProcesses(Path dir) {
        this.dir = dir;
    }

    /** Starts a daemon with {@code config}, its output in {@code <dir>/<name>.out} and {@code .err}. */
    Process start(Path config, String name) throws IOException {
        Process p = ChildJvm.start(dir, name, Main.class, "daemon", "--config", config.toString(),
                "--status-interval-s", "5");
        started.add(p);
        return p;
    }

    @Override
    public void close() throws InterruptedException {
        for (Process p : started) {
            p.destroy();
        }
        for (Process p : started) {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }
}
