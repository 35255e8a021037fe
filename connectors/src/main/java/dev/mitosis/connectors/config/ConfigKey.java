package dev.mitosis.connectors.config;

import dev.mitosis.connectors.config.ConfigDef.Importance;
import dev.mitosis.connectors.config.ConfigDef.Type;

import java.util.List;
import java.util.Objects;

/**
 * The declaration of one key; built by the {@code define} methods of {@link ConfigDef}.
 *
 * @param name               the key name within its level, e.g. {@code old.shards}
 * @param type               the value type
 * @param defaultValue       the default; {@link ConfigDef#NO_DEFAULT_VALUE} when required, null when optional
 *                           without default
 * @param validator          checks values of the type, or null
 * @param importance         how much an operator needs to care
 * @param doc                what the key means, in a sentence or two
 * @param nested             the keys of each map, for SECTION, LIST_OF and MAP_OF; null otherwise
 * @param entryLabel         for MAP_OF, what the free names are (e.g. {@code schema.table}); null otherwise
 * @param entryNameValidator for MAP_OF, checks each free name; null for any name
 */
public record ConfigKey(String name, Type type, Object defaultValue, Validator validator, Importance importance,
                        String doc, ConfigDef nested, String entryLabel, Validator entryNameValidator) {

    /** Checks the declaration is complete and its default fits its type and validator. */
    public ConfigKey {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(importance, "importance");
        Objects.requireNonNull(doc, "doc");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("a config key needs a name");
        }
        if (type.isNested() != (nested != null)) {
            throw new IllegalArgumentException(name + ": a nested ConfigDef is needed exactly for SECTION, "
                    + "LIST_OF and MAP_OF");
        }
        defaultValue = checkedDefault(name, type, defaultValue, validator);
    }

    /** Whether leaving the key out is a problem. */
    public boolean required() {
        return defaultValue == ConfigDef.NO_DEFAULT_VALUE;
    }

    /** Whether the key has a value when left out. */
    public boolean hasDefault() {
        return defaultValue != null && defaultValue != ConfigDef.NO_DEFAULT_VALUE;
    }

    /** The valid values as a phrase that follows "expected", for messages and the docs. */
    public String expectation() {
        if (validator != null) {
            return validator.describe();
        }
        return switch (type) {
            case BOOLEAN -> "true or false";
            case INT -> "an integer in [" + Integer.MIN_VALUE + ", " + Integer.MAX_VALUE + "]";
            case LONG -> "an integer in [" + Long.MIN_VALUE + ", " + Long.MAX_VALUE + "]";
            case DOUBLE -> "a number";
            case STRING, PASSWORD -> "a string";
            case LIST -> "a list of strings";
            case SECTION -> nested.describeMap();
            case LIST_OF -> "a list of maps with keys " + String.join(", ", nested.names());
            case MAP_OF -> "a map from " + entryLabel + " to " + nested.describeMap();
        };
    }

    private static Object checkedDefault(String name, Type type, Object value, Validator validator) {
        if (value == null || value == ConfigDef.NO_DEFAULT_VALUE) {
            return value;
        }
        if (type.isNested()) {
            throw new IllegalArgumentException(name + ": a " + type + " key has no default value");
        }
        Object typed = switch (type) {
            case BOOLEAN -> cast(name, value, Boolean.class);
            case INT -> cast(name, value, Integer.class);
            case LONG -> ((Number) cast(name, value, Number.class)).longValue();
            case DOUBLE -> ((Number) cast(name, value, Number.class)).doubleValue();
            case STRING -> cast(name, value, String.class);
            case PASSWORD -> value instanceof String text ? new Password(text) : cast(name, value, Password.class);
            case LIST -> List.copyOf((List<?>) cast(name, value, List.class));
            default -> throw new AssertionError(type);
        };
        if (validator != null && validator.check(typed).isPresent()) {
            throw new IllegalArgumentException(name + ": default " + ConfigValueText.render(typed)
                    + " is not " + validator.describe());
        }
        return typed;
    }

    private static Object cast(String name, Object value, Class<?> type) {
        if (!type.isInstance(value)) {
            throw new IllegalArgumentException(name + ": default " + value + " is not a " + type.getSimpleName());
        }
        return value;
    }
}
