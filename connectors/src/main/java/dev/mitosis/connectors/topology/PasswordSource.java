package dev.mitosis.connectors.topology;

import java.nio.file.Path;

/** Where a server's password comes from: a file or an environment variable. Neither is the secret itself. */
public sealed interface PasswordSource {

    /** The key that sets this source, and its value, as {@code config show} prints them. */
    String describe();

    /**
     * A file holding the password (one trailing newline is not part of it).
     *
     * @param path the file, resolved against the directory of the config file
     */
    record File(Path path) implements PasswordSource {
        @Override
        public String describe() {
            return "password.file " + path;
        }
    }

    /**
     * An environment variable holding the password.
     *
     * @param variable the variable name
     */
    record Env(String variable) implements PasswordSource {
        @Override
        public String describe() {
            return "password.env " + variable;
        }
    }
}
