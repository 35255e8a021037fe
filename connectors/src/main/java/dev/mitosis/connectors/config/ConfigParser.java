package dev.mitosis.connectors.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.mitosis.connectors.config.ConfigDef.Type;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Walks a YAML tree against a {@link ConfigDef}, turning each value into its declared type and recording every
 * problem on the way. A key whose value is bad is left unset, so checks that need it can skip it.
 */
final class ConfigParser {

    private final ConfigProblems problems;

    ConfigParser(ConfigProblems problems) {
        this.problems = problems;
    }

    ConfigValues parseRoot(ConfigDef def, JsonNode tree) {
        if (tree == null || !tree.isObject()) {
            String given = tree == null ? "nothing" : ConfigValueText.render(tree);
            problems.add("", "the top level is " + given + ", expected " + def.describeMap());
            return new ConfigValues(def, "", Map.of(), Set.of());
        }
        return parseMap(def, tree, "");
    }

    private ConfigValues parseMap(ConfigDef def, JsonNode node, String path) {
        reportUnknownKeys(def, node, path);
        Map<String, Object> values = new LinkedHashMap<>();
        Set<String> explicit = new HashSet<>();
        for (ConfigKey key : def.keys()) {
            String keyPath = ConfigPath.child(path, key.name());
            JsonNode given = node.get(key.name());
            // An optional nested key written with nothing under it (all entries commented out) means none.
            if (given == null || given.isNull() && key.type().isNested() && !key.required()) {
                putAbsent(key, keyPath, values);
                continue;
            }
            // Given counts even when the value turns out bad, so checks about the key's presence stay quiet.
            explicit.add(key.name());
            Object value = parseValue(key, given, keyPath);
            if (value != null && passesValidator(key, value, keyPath)) {
                values.put(key.name(), value);
            }
        }
        return new ConfigValues(def, path, values, explicit);
    }

    private void putAbsent(ConfigKey key, String keyPath, Map<String, Object> values) {
        if (key.required()) {
            problems.add(keyPath, "missing required key, expected " + key.expectation());
        } else if (key.hasDefault()) {
            values.put(key.name(), key.defaultValue());
        } else if (key.type() == Type.LIST_OF) {
            values.put(key.name(), List.of());
        } else if (key.type() == Type.MAP_OF) {
            values.put(key.name(), Map.of());
        }
    }

    private Object parseValue(ConfigKey key, JsonNode node, String path) {
        switch (key.type()) {
            case BOOLEAN:
                if (node.isBoolean()) {
                    return node.booleanValue();
                }
                break;
            case INT:
                if (node.isIntegralNumber()) {
                    return node.canConvertToInt() ? (Object) node.intValue() : outOfRange(key, node, path);
                }
                break;
            case LONG:
                if (node.isIntegralNumber()) {
                    return node.canConvertToLong() ? (Object) node.longValue() : outOfRange(key, node, path);
                }
                break;
            case DOUBLE:
                if (node.isNumber()) {
                    return Double.isFinite(node.doubleValue()) ? (Object) node.doubleValue()
                            : outOfRange(key, node, path);
                }
                break;
            case STRING:
                if (node.isTextual()) {
                    return node.textValue();
                }
                break;
            case PASSWORD:
                if (node.isTextual()) {
                    return new Password(node.textValue());
                }
                break;
            case LIST:
                if (node.isArray()) {
                    return parseStrings(node, path);
                }
                break;
            case SECTION:
                if (node.isObject()) {
                    return parseMap(key.nested(), node, path);
                }
                break;
            case LIST_OF:
                if (node.isArray()) {
                    return parseListOf(key, node, path);
                }
                break;
            case MAP_OF:
                if (node.isObject()) {
                    return parseMapOf(key, node, path);
                }
                break;
            default:
                throw new AssertionError(key.type());
        }
        problems.invalid(path, rendered(key, node), "is not " + key.type().noun(), key.expectation());
        return null;
    }

    private Object outOfRange(ConfigKey key, JsonNode node, String path) {
        problems.invalid(path, rendered(key, node), "is out of range", key.expectation());
        return null;
    }

    private List<String> parseStrings(JsonNode array, String path) {
        List<String> strings = new ArrayList<>();
        boolean allStrings = true;
        for (int i = 0; i < array.size(); i++) {
            JsonNode element = array.get(i);
            if (element.isTextual()) {
                strings.add(element.textValue());
            } else {
                problems.invalid(ConfigPath.element(path, i), ConfigValueText.render(element), "is not a string",
                        "a string");
                allStrings = false;
            }
        }
        return allStrings ? List.copyOf(strings) : null;
    }

    /** A list with an element that is not a map is left unset: its indexes would no longer mean anything. */
    private List<ConfigValues> parseListOf(ConfigKey key, JsonNode array, String path) {
        List<ConfigValues> elements = new ArrayList<>();
        boolean allMaps = true;
        for (int i = 0; i < array.size(); i++) {
            JsonNode element = array.get(i);
            String elementPath = ConfigPath.element(path, i);
            if (element.isObject()) {
                elements.add(parseMap(key.nested(), element, elementPath));
            } else {
                problems.invalid(elementPath, ConfigValueText.render(element), "is not a map",
                        key.nested().describeMap());
                allMaps = false;
            }
        }
        return allMaps ? List.copyOf(elements) : null;
    }

    /** Entries with a bad name or a non-map value are reported and left out; the others stay checkable. */
    private Map<String, ConfigValues> parseMapOf(ConfigKey key, JsonNode object, String path) {
        Map<String, ConfigValues> entries = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String name = field.getKey();
            String entryPath = ConfigPath.entry(path, name);
            Optional<String> badName = Optional.ofNullable(key.entryNameValidator())
                    .flatMap(validator -> validator.check(name));
            if (badName.isPresent()) {
                problems.invalid(entryPath, ConfigValueText.render(name), badName.get(),
                        key.entryNameValidator().describe());
                continue;
            }
            JsonNode value = field.getValue();
            if (value.isNull()) {
                // "app.users:" with nothing under it: every key of the entry at its default.
                entries.put(name, parseMap(key.nested(), JsonNodeFactory.instance.objectNode(), entryPath));
            } else if (value.isObject()) {
                entries.put(name, parseMap(key.nested(), value, entryPath));
            } else {
                problems.invalid(entryPath, ConfigValueText.render(value), "is not a map",
                        key.nested().describeMap());
            }
        }
        return Collections.unmodifiableMap(entries);
    }

    private boolean passesValidator(ConfigKey key, Object value, String path) {
        if (key.validator() == null) {
            return true;
        }
        Optional<String> reason = key.validator().check(value);
        reason.ifPresent(why -> problems.invalid(path, ConfigValueText.render(value), why, key.validator().describe()));
        return reason.isEmpty();
    }

    private void reportUnknownKeys(ConfigDef def, JsonNode node, String path) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (def.key(name).isPresent()) {
                continue;
            }
            problems.add(ConfigPath.child(path, name), "unknown key, " + hintFor(def, name));
        }
    }

    private static String hintFor(ConfigDef def, String unknown) {
        Optional<String> typo = KeySuggester.suggest(unknown, def.names());
        if (typo.isPresent()) {
            return "did you mean '" + typo.get() + "'?";
        }
        Optional<ConfigKey> section = def.keys().stream()
                .filter(key -> key.type() == Type.SECTION && key.nested().key(unknown).isPresent())
                .findFirst();
        if (section.isPresent()) {
            return "did you mean to put it under '" + section.get().name() + "'?";
        }
        return "expected one of " + String.join(", ", def.names());
    }

    private static String rendered(ConfigKey key, JsonNode node) {
        return key.type() == Type.PASSWORD ? Password.HIDDEN : ConfigValueText.render(node);
    }
}
