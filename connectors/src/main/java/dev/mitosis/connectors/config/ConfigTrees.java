package dev.mitosis.connectors.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Map;

/** Turns parsed config values back into JSON/YAML nodes, passwords masked. */
final class ConfigTrees {

    private ConfigTrees() {
    }

    static JsonNode masked(Object value) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        if (value instanceof Password) {
            return nodes.textNode(Password.HIDDEN);
        }
        if (value instanceof String text) {
            return nodes.textNode(text);
        }
        if (value instanceof Boolean flag) {
            return nodes.booleanNode(flag);
        }
        if (value instanceof Integer number) {
            return nodes.numberNode(number);
        }
        if (value instanceof Long number) {
            return nodes.numberNode(number);
        }
        if (value instanceof Double number) {
            return nodes.numberNode(number);
        }
        if (value instanceof ConfigValues nested) {
            return nested.toMaskedTree();
        }
        if (value instanceof List<?> list) {
            ArrayNode array = nodes.arrayNode();
            list.forEach(element -> array.add(masked(element)));
            return array;
        }
        if (value instanceof Map<?, ?> map) {
            ObjectNode object = nodes.objectNode();
            map.forEach((name, entry) -> object.set((String) name, masked(entry)));
            return object;
        }
        throw new IllegalStateException("unexpected config value type " + value.getClass().getName());
    }
}
