package dev.mitosis.connectors.config;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Renders config values for problem messages: strings quoted, numbers as written, containers by kind only.
 *
 * <p>Containers are never printed element by element, because a map given where a list was expected may hold
 * anything, a secret included; passwords are always {@value Password#HIDDEN}. Long strings are cut.
 */
public final class ConfigValueText {

    private static final int MAX_STRING = 80;

    private ConfigValueText() {
    }

    /** A value as written in YAML, before its type was checked. */
    public static String render(JsonNode node) {
        if (node.isTextual()) {
            return quoted(node.textValue());
        }
        if (node.isArray()) {
            return "a list";
        }
        if (node.isObject()) {
            return "a map";
        }
        // null, booleans and numbers as YAML reads them.
        return node.asText();
    }

    /** A value of the key's type, after parsing. */
    public static String render(Object value) {
        if (value instanceof Password) {
            return Password.HIDDEN;
        }
        if (value instanceof String text) {
            return quoted(text);
        }
        if (value instanceof List<?> list && list.stream().allMatch(String.class::isInstance)) {
            return list.stream().map(ConfigValueText::render).collect(Collectors.joining(", ", "[", "]"));
        }
        if (value instanceof Collection<?> collection) {
            return collection.isEmpty() ? "[]" : "a list of " + entries(collection.size());
        }
        if (value instanceof Map<?, ?> map) {
            return map.isEmpty() ? "{}" : "a map of " + entries(map.size());
        }
        if (value instanceof ConfigValues) {
            return "a map";
        }
        return String.valueOf(value);
    }

    private static String entries(int count) {
        return count == 1 ? "1 entry" : count + " entries";
    }

    private static String quoted(String text) {
        String shown = text.length() > MAX_STRING ? text.substring(0, MAX_STRING) + "..." : text;
        return '"' + new String(JsonStringEncoder.getInstance().quoteAsString(shown)) + '"';
    }
}
