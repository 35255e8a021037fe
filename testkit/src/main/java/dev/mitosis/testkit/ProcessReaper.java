package dev.mitosis.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Finds the servers a dead JVM left behind: a kill -9 of a test or CLI process does not stop its children. Every
 * server writes a {@code *.pid} file with its identity beside its data; this ends those still running.
 */
public final class ProcessReaper {

    private ProcessReaper() {
    }

    /** Ends (SIGTERM, then SIGKILL) every still-running process recorded in a {@code *.pid} file under {@code root}. */
    public static List<OwnedProcess> reapUnder(Path root, Duration grace) {
        List<OwnedProcess> reaped = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return reaped;
        }
        try (Stream<Path> files = Files.walk(root, 4)) {
            for (Path pidFile : files.filter(p -> p.getFileName().toString().endsWith(".pid")).toList()) {
                OwnedProcess.fromPidFile(pidFile).ifPresent(p -> {
                    p.terminate(grace);
                    reaped.add(p);
                });
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot scan " + root + " for pid files", e);
        }
        return reaped;
    }
}
