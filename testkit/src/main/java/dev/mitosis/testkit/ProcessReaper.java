package dev.mitosis.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Finds the servers a dead JVM left behind: a kill -9 of a test or CLI process does not stop its children. Every
 * server writes a {@code *.pid} file with its identity beside its data; this ends those still running.
 */
public final class ProcessReaper {

    private ProcessReaper() {
    }

    /** Every still-running process recorded in a {@code *.pid} file under {@code root} (identity-checked). */
    public static List<OwnedProcess> findUnder(Path root) {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(root, 4)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".pid"))
                    .map(OwnedProcess::fromPidFile)
                    .flatMap(Optional::stream)
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot scan " + root + " for pid files", e);
        }
    }

    /**
     * Ends every process {@link #findUnder} finds, all at once: SIGTERM, then SIGKILL for any still running after
     * {@code grace}. Returns those it ended.
     */
    public static List<OwnedProcess> reapUnder(Path root, Duration grace) {
        List<OwnedProcess> running = findUnder(root);
        running.parallelStream().forEach(p -> p.terminate(grace));
        return running;
    }
}
