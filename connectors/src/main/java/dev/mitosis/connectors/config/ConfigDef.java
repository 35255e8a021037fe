package dev.mitosis.connectors.config;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The declared keys of one level of a config, after Kafka's {@code ConfigDef}: each key is declared once with its
 * name, type, default, validator, importance and doc, and everything else (parsing, error messages, the reference
 * docs and the sample file) is derived from that one declaration.
 *
 * <p>Key names may contain dots ({@code old.shards}); in YAML they are plain map keys inside their section, and
 * units live in the name ({@code chunk.target.ms}). Nested levels are declared by a nested {@code ConfigDef}:
 * a {@link Type#SECTION} is a map of declared keys, a {@link Type#LIST_OF} a list of such maps, a
 * {@link Type#MAP_OF} a map from free names (table names, say) to such maps.
 */
public final class ConfigDef {

    /** The default of a required key: there is none, and leaving the key out is a problem. */
    public static final Object NO_DEFAULT_VALUE = new Object() {
        @Override
        public String toString() {
            return "(required)";
        }
    };

    /** The type of a key's value. */
    public enum Type {
        /** YAML {@code true} or {@code false}. */
        BOOLEAN("boolean", "a boolean"),
        /** A whole number in the range of a Java {@code int}. */
        INT("int", "an integer"),
        /** A whole number in the range of a Java {@code long}. */
        LONG("long", "an integer"),
        /** Any number. */
        DOUBLE("double", "a number"),
        /** A YAML string (a number or boolean is not silently turned into one). */
        STRING("string", "a string"),
        /** A string that is a secret: parsed to {@link Password}, never shown in a message. */
        PASSWORD("password", "a string"),
        /** A YAML list of strings. */
        LIST("list", "a list"),
        /** A map whose keys are declared by a nested {@code ConfigDef}. */
        SECTION("section", "a map"),
        /** A list of maps, each checked against a nested {@code ConfigDef}. */
        LIST_OF("list of maps", "a list"),
        /** A map from free names to maps, each checked against a nested {@code ConfigDef}. */
        MAP_OF("map of maps", "a map");

        private final String docName;
        private final String noun;

        Type(String docName, String noun) {
            this.docName = docName;
            this.noun = noun;
        }

        /** The name shown in the docs, e.g. {@code int}. */
        public String docName() {
            return docName;
        }

        /** The type as a noun for messages, e.g. {@code an integer} in {@code "abc" is not an integer}. */
        public String noun() {
            return noun;
        }

        /** Whether values of this type are maps checked against a nested {@code ConfigDef}. */
        public boolean isNested() {
            return this == SECTION || this == LIST_OF || this == MAP_OF;
        }
    }

    /** How much an operator needs to care about a key, as in Kafka's docs. */
    public enum Importance {
        /** Must be right for the tool to work at all. */
        HIGH,
        /** Worth a look for a given fleet. */
        MEDIUM,
        /** Rarely changed. */
        LOW
    }

    private final Map<String, ConfigKey> keys = new LinkedHashMap<>();

    /**
     * Declares a scalar or list-of-strings key.
     *
     * @param defaultValue the value when the key is left out; {@link #NO_DEFAULT_VALUE} for a required key, or
     *                     null for an optional key that is simply absent when left out
     * @param validator    checks a value of the right type, or null for any value of the type
     * @throws IllegalArgumentException if the key is already declared, or the default does not fit
     */
    public ConfigDef define(String name, Type type, Object defaultValue, Validator validator,
                            Importance importance, String doc) {
        if (type.isNested()) {
            throw new IllegalArgumentException(name + ": declare " + type + " keys with defineSection, "
                    + "defineListOf or defineMapOf");
        }
        return add(new ConfigKey(name, type, defaultValue, validator, importance, doc, null, null, null));
    }

    /** Declares a key without validator; see {@link #define(String, Type, Object, Validator, Importance, String)}. */
    public ConfigDef define(String name, Type type, Object defaultValue, Importance importance, String doc) {
        return define(name, type, defaultValue, null, importance, doc);
    }

    /** Declares a required key without validator. */
    public ConfigDef define(String name, Type type, Importance importance, String doc) {
        return define(name, type, NO_DEFAULT_VALUE, null, importance, doc);
    }

    /**
     * Declares a {@link Type#SECTION}: a map whose keys {@code section} declares. An optional section that is
     * left out is absent.
     */
    public ConfigDef defineSection(String name, boolean required, ConfigDef section, Importance importance,
                                   String doc) {
        return add(new ConfigKey(name, Type.SECTION, required ? NO_DEFAULT_VALUE : null, null, importance, doc,
                section, null, null));
    }

    /**
     * Declares a {@link Type#LIST_OF}: a list of maps whose keys {@code element} declares. An optional list that
     * is left out is empty.
     *
     * @param validator checks the whole list (e.g. {@link NonEmpty}), or null
     */
    public ConfigDef defineListOf(String name, boolean required, ConfigDef element, Validator validator,
                                  Importance importance, String doc) {
        return add(new ConfigKey(name, Type.LIST_OF, required ? NO_DEFAULT_VALUE : null, validator, importance,
                doc, element, null, null));
    }

    /**
     * Declares a {@link Type#MAP_OF}: a map from free names to maps whose keys {@code entry} declares. An
     * optional map that is left out is empty.
     *
     * @param entryLabel         what the free names are, for docs and paths, e.g. {@code schema.table}
     * @param entryNameValidator checks each name (a String), or null for any name
     */
    public ConfigDef defineMapOf(String name, boolean required, String entryLabel, Validator entryNameValidator,
                                 ConfigDef entry, Importance importance, String doc) {
        return add(new ConfigKey(name, Type.MAP_OF, required ? NO_DEFAULT_VALUE : null, null, importance, doc,
                entry, entryLabel, entryNameValidator));
    }

    private ConfigDef add(ConfigKey key) {
        if (keys.putIfAbsent(key.name(), key) != null) {
            throw new IllegalArgumentException("config key '" + key.name() + "' is declared twice");
        }
        return this;
    }

    /** The declared keys, in declaration order (the order of the docs and the sample). */
    public List<ConfigKey> keys() {
        return List.copyOf(keys.values());
    }

    /** The declared names, in declaration order. */
    public List<String> names() {
        return new ArrayList<>(keys.keySet());
    }

    /** The declaration of {@code name}, if declared. */
    public Optional<ConfigKey> key(String name) {
        return Optional.ofNullable(keys.get(name));
    }

    /**
     * Parses a YAML tree against these declarations.
     *
     * @param tree   the root map, as Jackson's YAML mapper reads it
     * @param source where the tree came from, for the exception message
     * @throws ConfigException listing every problem found
     */
    public ConfigValues parse(JsonNode tree, String source) {
        ConfigProblems problems = new ConfigProblems();
        ConfigValues values = parse(tree, problems);
        problems.throwIfAny(source);
        return values;
    }

    /**
     * Parses a YAML tree, recording problems instead of throwing, so callers can add their cross-field checks
     * and report everything at once. Keys with bad values are left unset in the result.
     *
     * @param tree the root map; anything else is recorded as a problem and yields empty values
     */
    public ConfigValues parse(JsonNode tree, ConfigProblems problems) {
        return new ConfigParser(problems).parseRoot(this, tree);
    }

    /**
     * What a map of these keys looks like, for messages: {@code a map with keys a, b, c}.
     */
    String describeMap() {
        return "a map with keys " + String.join(", ", keys.keySet());
    }
}
