package dev.mitosis.connectors.config;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

/**
 * Writes YAML scalars that read back as exactly the same value. A string is left plain only when YAML cannot
 * take it for anything else (a number, a boolean, null, a sexagesimal, a flow marker); otherwise it is
 * double-quoted, which YAML reads like a JSON string.
 */
final class YamlScalars {

    private static final Pattern PLAIN = Pattern.compile("[A-Za-z_/][A-Za-z0-9_./-]*");
    private static final Set<String> RESERVED = Set.of("true", "false", "yes", "no", "on", "off", "y", "n", "null");

    private YamlScalars() {
    }

    static String string(String text) {
        if (PLAIN.matcher(text).matches() && !RESERVED.contains(text.toLowerCase(Locale.ROOT))) {
            return text;
        }
        return '"' + new String(JsonStringEncoder.getInstance().quoteAsString(text)) + '"';
    }

    /** A scalar, or a list of scalars in flow style ({@code [a, b]}). */
    static String value(JsonNode node) {
        if (node.isTextual()) {
            return string(node.textValue());
        }
        if (node.isArray()) {
            return StreamSupport.stream(node.spliterator(), false)
                    .map(YamlScalars::value)
                    .collect(Collectors.joining(", ", "[", "]"));
        }
        if (node.isObject()) {
            if (node.isEmpty()) {
                return "{}";
            }
            throw new IllegalArgumentException("a map is not a scalar: " + node);
        }
        return node.asText();
    }
}
