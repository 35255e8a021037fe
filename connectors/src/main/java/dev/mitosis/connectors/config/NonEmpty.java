package dev.mitosis.connectors.config;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/** A STRING, PASSWORD, LIST, LIST_OF or MAP_OF key that must not be empty. */
public final class NonEmpty implements Validator {

    private final String description;

    private NonEmpty(String description) {
        this.description = description;
    }

    /** @param description the valid values in words, e.g. {@code a non-empty list of schema names} */
    public static NonEmpty described(String description) {
        return new NonEmpty(description);
    }

    @Override
    public Optional<String> check(Object value) {
        boolean empty = value instanceof String text ? text.isEmpty()
                : value instanceof Password password ? password.value().isEmpty()
                : value instanceof Collection<?> collection ? collection.isEmpty()
                : value instanceof Map<?, ?> map && map.isEmpty();
        return empty ? Optional.of("is empty") : Optional.empty();
    }

    @Override
    public String describe() {
        return description;
    }
}
