package dev.mitosis.connectors.config;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mitosis.connectors.config.ConfigDef.Type;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;

/**
 * The parsed, typed values of one level of a config (the root, a section, one list element or map entry), with
 * defaults filled in. Immutable.
 *
 * <p>Getters take declared key names and throw {@link IllegalArgumentException} for an undeclared key or the
 * wrong type (a programming error), and {@link NoSuchElementException} for a key that has no value; use
 * {@link #isSet} or the {@code find} methods for optional keys.
 */
public final class ConfigValues {

    private final ConfigDef def;
    private final String path;
    private final Map<String, Object> values;
    private final Set<String> explicit;

    ConfigValues(ConfigDef def, String path, Map<String, Object> values, Set<String> explicit) {
        this.def = def;
        this.path = path;
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        this.explicit = Set.copyOf(explicit);
    }

    /** The declarations these values were parsed against. */
    public ConfigDef def() {
        return def;
    }

    /** The full path of this level, e.g. {@code pairs[1].servers[0]}; empty for the root. */
    public String path() {
        return path;
    }

    /** The full path of a key of this level, for problem messages, e.g. {@code pairs[1].servers[0].port}. */
    public String pathOf(String key) {
        declared(key);
        return ConfigPath.child(path, key);
    }

    /** Whether the key has a value (given, or by default). */
    public boolean isSet(String key) {
        declared(key);
        return values.containsKey(key);
    }

    /**
     * Whether the key was written in the file, as opposed to left out; true also when its value was bad and the
     * key is therefore not {@linkplain #isSet set}.
     */
    public boolean isExplicit(String key) {
        declared(key);
        return explicit.contains(key);
    }

    /** The value of any key, of its type's Java class. */
    public Object get(String key) {
        declared(key);
        Object value = values.get(key);
        if (value == null) {
            throw new NoSuchElementException(pathOf(key) + " has no value");
        }
        return value;
    }

    /** The value of a key, or empty when it has none. */
    public Optional<Object> find(String key) {
        declared(key);
        return Optional.ofNullable(values.get(key));
    }

    /** The value of a BOOLEAN key. */
    public boolean getBoolean(String key) {
        return (Boolean) typed(key, Type.BOOLEAN);
    }

    /** The value of an INT key. */
    public int getInt(String key) {
        return (Integer) typed(key, Type.INT);
    }

    /** The value of a LONG key. */
    public long getLong(String key) {
        return (Long) typed(key, Type.LONG);
    }

    /** The value of a DOUBLE key. */
    public double getDouble(String key) {
        return (Double) typed(key, Type.DOUBLE);
    }

    /** The value of a STRING key. */
    public String getString(String key) {
        return (String) typed(key, Type.STRING);
    }

    /** The value of an optional STRING key, or empty when it has none. */
    public Optional<String> findString(String key) {
        return isSet(key) ? Optional.of(getString(key)) : Optional.empty();
    }

    /** The value of a PASSWORD key. */
    public Password getPassword(String key) {
        return (Password) typed(key, Type.PASSWORD);
    }

    /** The value of a LIST key. */
    @SuppressWarnings("unchecked")
    public List<String> getList(String key) {
        return (List<String>) typed(key, Type.LIST);
    }

    /** The values of a SECTION key. */
    public ConfigValues getSection(String key) {
        return (ConfigValues) typed(key, Type.SECTION);
    }

    /** The values of an optional SECTION key, or empty when it was left out. */
    public Optional<ConfigValues> findSection(String key) {
        return isSet(key) ? Optional.of(getSection(key)) : Optional.empty();
    }

    /** The elements of a LIST_OF key, in order. */
    @SuppressWarnings("unchecked")
    public List<ConfigValues> getListOf(String key) {
        return (List<ConfigValues>) typed(key, Type.LIST_OF);
    }

    /** The entries of a MAP_OF key, in file order. */
    @SuppressWarnings("unchecked")
    public Map<String, ConfigValues> getMapOf(String key) {
        return (Map<String, ConfigValues>) typed(key, Type.MAP_OF);
    }

    /**
     * These values as a JSON/YAML tree, every set key included (defaults too), passwords replaced by
     * {@value Password#HIDDEN}: what {@code mitosis config show} prints.
     */
    public ObjectNode toMaskedTree() {
        ObjectNode tree = JsonNodeFactory.instance.objectNode();
        values.forEach((key, value) -> tree.set(key, ConfigTrees.masked(value)));
        return tree;
    }

    /** {@link #toMaskedTree()} as YAML, keys in declaration order. */
    public String toMaskedYaml() {
        return ConfigYamlWriter.effective().write(def, toMaskedTree());
    }

    private Object typed(String key, Type type) {
        ConfigKey declaration = declared(key);
        if (declaration.type() != type) {
            throw new IllegalArgumentException(pathOf(key) + " is a " + declaration.type() + " key, not " + type);
        }
        return get(key);
    }

    private ConfigKey declared(String key) {
        return def.key(key).orElseThrow(() ->
                new IllegalArgumentException("'" + key + "' is not a declared key at '" + path + "'"));
    }

    @Override
    public String toString() {
        return toMaskedTree().toString();
    }
}
