package dev.mitosis.connectors.config;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Writes a config tree as YAML in declaration order: the effective config ({@code config show}) or, with each
 * key's doc as a comment and every key not in the tree commented out, the sample file.
 */
final class ConfigYamlWriter {

    private static final int WIDTH = 100;

    private final boolean withDocs;
    private final boolean commentAbsent;

    private ConfigYamlWriter(boolean withDocs, boolean commentAbsent) {
        this.withDocs = withDocs;
        this.commentAbsent = commentAbsent;
    }

    /** Only the keys in the tree, no comments. */
    static ConfigYamlWriter effective() {
        return new ConfigYamlWriter(false, false);
    }

    /** Every declared key with its doc; keys not in the tree commented out with their default. */
    static ConfigYamlWriter sample() {
        return new ConfigYamlWriter(true, true);
    }

    String write(ConfigDef def, JsonNode tree) {
        List<String> lines = new ArrayList<>();
        writeMap(def, tree, 0, true, lines);
        return String.join("\n", lines) + "\n";
    }

    /**
     * @param map  the values of this level, or null when none are given
     * @param docs whether to write docs here: only at the first element of a list or map, not at every one
     */
    private void writeMap(ConfigDef def, JsonNode map, int indent, boolean docs, List<String> out) {
        for (ConfigKey key : def.keys()) {
            JsonNode value = map == null ? null : map.get(key.name());
            if (value == null && !commentAbsent) {
                continue;
            }
            if (docs && withDocs) {
                writeDoc(key, indent, out);
            }
            if (value == null) {
                writeAbsent(key, indent, docs, out);
            } else {
                writeValue(key, value, indent, docs, out);
            }
        }
    }

    private void writeValue(ConfigKey key, JsonNode value, int indent, boolean docs, List<String> out) {
        String head = " ".repeat(indent) + YamlScalars.string(key.name()) + ":";
        switch (key.type()) {
            case SECTION -> {
                out.add(head);
                writeMap(key.nested(), value, indent + 2, docs, out);
            }
            case LIST_OF -> {
                if (value.isEmpty()) {
                    out.add(head + " []");
                    return;
                }
                out.add(head);
                boolean first = true;
                for (JsonNode element : value) {
                    writeElement(key.nested(), element, indent + 2, docs && first, out);
                    first = false;
                }
            }
            case MAP_OF -> {
                if (value.isEmpty()) {
                    out.add(head + " {}");
                    return;
                }
                out.add(head);
                boolean first = true;
                for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> entry = it.next();
                    out.add(" ".repeat(indent + 2) + YamlScalars.string(entry.getKey()) + ":");
                    writeMap(key.nested(), entry.getValue(), indent + 4, docs && first, out);
                    first = false;
                }
            }
            default -> out.add(head + " " + YamlScalars.value(value));
        }
    }

    /** A list element: its keys one level in, the first written key marked with "- ". */
    private void writeElement(ConfigDef def, JsonNode element, int indent, boolean docs, List<String> out) {
        List<String> lines = new ArrayList<>();
        writeMap(def, element, indent + 2, docs, lines);
        int first = 0;
        while (first < lines.size() && lines.get(first).trim().startsWith("#")) {
            // Comments ahead of the "- " line read better at its indentation than at the keys'.
            lines.set(first, lines.get(first).substring(2));
            first++;
        }
        if (first == lines.size()) {
            lines.add(" ".repeat(indent) + "- {}");
        } else {
            lines.set(first, " ".repeat(indent) + "- " + lines.get(first).substring(indent + 2));
        }
        out.addAll(lines);
    }

    private void writeAbsent(ConfigKey key, int indent, boolean docs, List<String> out) {
        String head = " ".repeat(indent) + "# " + YamlScalars.string(key.name()) + ":";
        if (key.hasDefault()) {
            out.add(head + " " + YamlScalars.value(ConfigTrees.masked(key.defaultValue())));
        } else if (key.type().isNested()) {
            // Show the nested keys too, so the sample documents every key even without an example.
            out.add(head);
            int inner = key.type() == ConfigDef.Type.SECTION ? indent + 2 : indent + 4;
            if (key.type() == ConfigDef.Type.MAP_OF) {
                out.add(" ".repeat(indent + 2) + "# <" + key.entryLabel() + ">:");
            }
            writeMap(key.nested(), null, inner, docs, out);
        } else {
            out.add(head + " <" + key.type().docName() + ">");
        }
    }

    private void writeDoc(ConfigKey key, int indent, List<String> out) {
        String pad = " ".repeat(indent) + "# ";
        for (String line : wrap(key.doc(), WIDTH - pad.length())) {
            out.add(pad + line);
        }
        for (String line : wrap("(" + ConfigDocs.summary(key) + ")", WIDTH - pad.length())) {
            out.add(pad + line);
        }
    }

    static List<String> wrap(String text, int width) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.trim().split("\\s+")) {
            if (line.length() > 0 && line.length() + 1 + word.length() > width) {
                lines.add(line.toString());
                line.setLength(0);
            }
            if (line.length() > 0) {
                line.append(' ');
            }
            line.append(word);
        }
        if (line.length() > 0) {
            lines.add(line.toString());
        }
        return lines;
    }
}
