package dev.mitosis.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Where integration tests put their servers: {@code mitosis.it.dir} (Failsafe sets {@code target/it}), one fresh
 * dir per test class. Ports are free ones unless {@code mitosis.it.port.base} fixes them (base + index).
 */
public final class ItEnvironment {

    private ItEnvironment() {
    }

    /** A fresh dir for {@code testClass}'s servers, after reaping whatever a killed earlier run left running there. */
    public static Path dirFor(Class<?> testClass) {
        Path dir = Path.of(System.getProperty("mitosis.it.dir", "target/it"), testClass.getSimpleName()).toAbsolutePath();
        ProcessReaper.reapUnder(dir, Duration.ofSeconds(10));
        try {
            ProcessFiles.deleteTree(dir);
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + dir, e);
        }
        return dir;
    }

    /** Port {@code index} of a test class: {@code mitosis.it.port.base + index}, or 0 (a free one) if unset. */
    public static int port(int index) {
        String base = System.getProperty("mitosis.it.port.base");
        return base == null || base.isBlank() ? 0 : Integer.parseInt(base.trim()) + index;
    }
}
