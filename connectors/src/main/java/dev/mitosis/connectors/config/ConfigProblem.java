package dev.mitosis.connectors.config;

import java.util.Objects;

/**
 * One thing wrong with a config: the full path of the key at fault and what is wrong with it.
 *
 * @param key     the full key path, e.g. {@code pairs[1].servers[0].port}; empty for a problem of the file as a
 *                whole (missing, empty, not YAML)
 * @param message what is wrong, naming the value and what was expected, e.g.
 *                {@code 70000 is out of range, expected an integer in [1, 65535]}
 */
public record ConfigProblem(String key, String message) {

    /** Checks both parts are present. */
    public ConfigProblem {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(message, "message");
    }

    /** {@code key: message}, or just the message for a problem of the whole file. */
    @Override
    public String toString() {
        return key.isEmpty() ? message : key + ": " + message;
    }
}
