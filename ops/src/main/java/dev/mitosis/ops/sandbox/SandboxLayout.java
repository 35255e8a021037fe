package dev.mitosis.ops.sandbox;

import java.nio.file.Path;

/** Where a sandbox keeps its parts under its dir D. */
record SandboxLayout(Path dir) {

    SandboxLayout {
        dir = dir.toAbsolutePath().normalize();
    }

    Path servers() {
        return dir.resolve("servers");
    }

    Path kafka() {
        return dir.resolve("kafka");
    }

    Path config() {
        return dir.resolve("mitosis.yaml");
    }

    Path passwordFile() {
        return dir.resolve("secrets").resolve("mitosis.password");
    }

    Path lockFile() {
        return dir.resolve(".sandbox.lock");
    }

    static String serverName(int pair, boolean a) {
        return "p" + pair + (a ? "-a" : "-a0");
    }
}
