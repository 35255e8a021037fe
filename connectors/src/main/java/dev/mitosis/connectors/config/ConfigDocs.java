package dev.mitosis.connectors.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mitosis.connectors.config.ConfigDef.Type;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Generates the reference docs and the sample config from the same {@link ConfigDef}, so that {@code --help},
 * {@code mitosis config docs} and the sample file cannot drift from what the parser accepts.
 *
 * <p>Docs name nested keys by path: {@code split.old.shards}, {@code pairs[].servers[].port} for list
 * elements, {@code tables[<schema.table>].shard.key} for named entries.
 */
public final class ConfigDocs {

    private ConfigDocs() {
    }

    /**
     * A Markdown reference of every key: its path as a heading, its doc, then type, default, valid values and
     * importance.
     *
     * @param title the top heading, e.g. {@code mitosis.yaml}
     */
    public static String markdown(ConfigDef def, String title) {
        StringBuilder out = new StringBuilder("# ").append(title).append("\n");
        for (DocumentedKey documented : walk(def)) {
            ConfigKey key = documented.key();
            out.append("\n### `").append(documented.path()).append("`\n\n")
                    .append(key.doc()).append("\n\n")
                    .append("| type | default | valid values | importance |\n")
                    .append("|---|---|---|---|\n")
                    .append("| ").append(cell(key.type().docName()))
                    .append(" | ").append(cell(defaultText(key)))
                    .append(" | ").append(cell(key.expectation()))
                    .append(" | ").append(key.importance().name().toLowerCase(Locale.ROOT))
                    .append(" |\n");
        }
        return out.toString();
    }

    /**
     * A sample config: the {@code example} values, each key preceded by its doc as a comment (at its first
     * occurrence), and every key the example leaves out commented out with its default.
     *
     * @param example a tree of example values that the parser accepts once secrets are supplied
     * @param header  comment lines for the top of the file, without the leading {@code #}
     */
    public static String sampleYaml(ConfigDef def, JsonNode example, List<String> header) {
        StringBuilder out = new StringBuilder();
        for (String line : header) {
            out.append(line.isEmpty() ? "#" : "# " + line).append('\n');
        }
        if (!header.isEmpty()) {
            out.append('\n');
        }
        return out.append(ConfigYamlWriter.sample().write(def, example)).toString();
    }

    /**
     * Writes a tree of values (such as {@link ConfigValues#toMaskedTree()}) as plain YAML, keys in declaration
     * order, without comments: the effective config.
     */
    public static String yaml(ConfigDef def, JsonNode tree) {
        return ConfigYamlWriter.effective().write(def, tree);
    }

    /** The doc path of every declared key, depth first in declaration order. */
    public static List<String> keyPaths(ConfigDef def) {
        return walk(def).stream().map(DocumentedKey::path).toList();
    }

    /** One line about a key for comments and {@code --help}: type, default or required, valid values, importance. */
    public static String summary(ConfigKey key) {
        return key.type().docName() + "; " + defaultText(key) + "; valid values: " + key.expectation()
                + "; importance: " + key.importance().name().toLowerCase(Locale.ROOT);
    }

    private static String defaultText(ConfigKey key) {
        if (key.required()) {
            return "required";
        }
        if (key.hasDefault()) {
            return "default " + YamlScalars.value(ConfigTrees.masked(key.defaultValue()));
        }
        return key.type() == Type.LIST_OF || key.type() == Type.MAP_OF ? "optional, default empty" : "optional";
    }

    private static String cell(String text) {
        return text.replace("|", "\\|");
    }

    private record DocumentedKey(String path, ConfigKey key) {
    }

    private static List<DocumentedKey> walk(ConfigDef def) {
        List<DocumentedKey> keys = new ArrayList<>();
        walk(def, "", keys);
        return keys;
    }

    private static void walk(ConfigDef def, String parent, List<DocumentedKey> out) {
        for (ConfigKey key : def.keys()) {
            String path = ConfigPath.child(parent, key.name());
            out.add(new DocumentedKey(path, key));
            switch (key.type()) {
                case SECTION -> walk(key.nested(), path, out);
                case LIST_OF -> walk(key.nested(), path + "[]", out);
                case MAP_OF -> walk(key.nested(), ConfigPath.entry(path, "<" + key.entryLabel() + ">"), out);
                default -> {
                }
            }
        }
    }
}
