package dev.mitosis.connectors.sql;

import java.util.Objects;
import java.util.Optional;

/**
 * Quotes MariaDB identifiers (schema, table and column names) for SQL text.
 *
 * <p>This is the one place mitosis turns a name into SQL: every statement builds its identifiers here, and binds
 * values as parameters, so no name from a config file or a catalog can change the shape of a statement.
 */
public final class SqlIdentifiers {

    private SqlIdentifiers() {
    }

    /**
     * Backtick-quotes one identifier, doubling any backtick inside it.
     *
     * @param name an unquoted identifier, e.g. {@code users} or {@code odd`name}
     * @return the quoted identifier, e.g. {@code `users`} or {@code `odd``name`}
     * @throws IllegalArgumentException if the name is empty or contains a NUL character (MariaDB accepts neither)
     */
    public static String quote(String name) {
        Objects.requireNonNull(name, "identifier");
        problemWith(name).ifPresent(problem -> {
            throw new IllegalArgumentException("invalid SQL identifier: " + problem);
        });
        return '`' + name.replace("`", "``") + '`';
    }

    /**
     * Quotes a schema-qualified table name.
     *
     * @return {@code `schema`.`table`}
     * @throws IllegalArgumentException if either name is empty or contains a NUL character
     */
    public static String quote(String schema, String table) {
        return quote(schema) + '.' + quote(table);
    }

    /**
     * Says why a name cannot be an identifier, so config validation can report it before any SQL is built.
     *
     * @return a phrase such as {@code "is empty"}, or empty when the name can be quoted
     */
    public static Optional<String> problemWith(String name) {
        if (name.isEmpty()) {
            return Optional.of("is empty");
        }
        if (name.indexOf('\0') >= 0) {
            return Optional.of("contains a NUL character");
        }
        return Optional.empty();
    }
}
