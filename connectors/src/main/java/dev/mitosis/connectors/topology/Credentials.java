package dev.mitosis.connectors.topology;

import dev.mitosis.connectors.config.Password;

import java.util.Objects;

/**
 * What mitosis logs in to a server with. {@link #toString()} shows the user and where the password comes from,
 * never the password.
 *
 * @param user     the MariaDB user
 * @param password the resolved password
 * @param source   where the password was read from
 */
public record Credentials(String user, Password password, PasswordSource source) {

    /** Checks all parts are present. */
    public Credentials {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(source, "source");
    }

    @Override
    public String toString() {
        return "Credentials[user=" + user + ", password=" + password + " from " + source.describe() + "]";
    }
}
