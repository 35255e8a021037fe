package dev.mitosis.ops;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A class's {@code main} in a child JVM on this test's class path, as an operator would run the process: its own
 * PID to kill -9 or SIGTERM, its stdout and stderr in {@code <dir>/<name>.out} and {@code <dir>/<name>.err}.
 */
public final class ChildJvm {

    private ChildJvm() {
    }

    /** Starts {@code main} with {@code args}; the caller stops it. */
    public static Process start(Path dir, String name, Class<?> main, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command)
                .redirectOutput(dir.resolve(name + ".out").toFile())
                .redirectError(dir.resolve(name + ".err").toFile())
                .start();
    }
}
