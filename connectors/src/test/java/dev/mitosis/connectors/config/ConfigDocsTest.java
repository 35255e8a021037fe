package dev.mitosis.connectors.config;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ConfigDocsTest {

    private final ConfigDef def = ConfigDefTest.rootDef();

    @Test
    void namesEveryKeyByPath() {
        assertThat(ConfigDocs.keyPaths(def)).containsExactly(
                "split", "split.old.shards", "max.bytes", "rate.per.second", "enabled", "tags",
                "servers", "servers[].name", "servers[].port", "servers[].secret",
                "tables", "tables[<schema.table>].shard.key", "tables[<schema.table>].broadcast");
    }

    @Test
    void markdownDocumentsEveryKey() {
        String markdown = ConfigDocs.markdown(def, "test.yaml");
        for (String path : ConfigDocs.keyPaths(def)) {
            assertThat(markdown).contains("### `" + path + "`");
        }
        assertThat(markdown)
                .contains("| int | required | an integer in [1, 65535] | high |")
                .contains("| string | default uid | a string | medium |")
                .contains("| password | optional | a non-empty secret | low |")
                .contains("The port.");
    }

    @Test
    void sampleHasEveryKeyWithItsDocAndLoadsBack() throws Exception {
        JsonNode example = ConfigDefTest.yaml("""
                split: {old.shards: 2}
                servers: [{name: a, port: 1}, {name: "0", port: 2}]
                tables: {app.users: {shard.key: user_id}}
                """);
        String sample = ConfigDocs.sampleYaml(def, example, List.of("A test config."));
        assertThat(sample).startsWith("# A test config.\n");
        for (ConfigKey key : List.of(def.keys().get(0), def.keys().get(5))) {
            assertThat(sample).contains("# " + key.doc());
        }
        for (String name : List.of("old.shards", "max.bytes", "rate.per.second", "enabled", "tags", "name", "port",
                "secret", "shard.key", "broadcast")) {
            assertThat(sample).containsPattern("(?m)^\\s*(# |- )?" + java.util.regex.Pattern.quote(name) + ":");
        }
        // Left-out keys are commented out with their default, so the sample means the same as the example.
        assertThat(sample).contains("# max.bytes: 10").contains("# tags: [a]").contains("# secret: <password>");

        ConfigValues parsed = def.parse(ConfigDefTest.yaml(sample), "sample");
        assertThat(parsed.getListOf("servers").get(1).getString("name")).isEqualTo("0");
        assertThat(parsed.getMapOf("tables").get("app.users").getString("shard.key")).isEqualTo("user_id");
        assertThat(parsed.getLong("max.bytes")).isEqualTo(10L);
    }

    @Test
    void sampleDocumentsNestedKeysLeftOutOfTheExample() throws Exception {
        String sample = ConfigDocs.sampleYaml(def, ConfigDefTest.yaml("split: {old.shards: 1}\nservers: [{name: a, "
                + "port: 1}]\n"), List.of());
        assertThat(sample).contains("# tables:").contains("# <schema.table>:").contains("# The shard key column.")
                .contains("# shard.key: uid");
        assertThat(def.parse(ConfigDefTest.yaml(sample), "sample").getMapOf("tables")).isEmpty();
    }

    @Test
    void effectiveYamlLoadsBackToTheSameValues() throws Exception {
        ConfigValues values = def.parse(ConfigDefTest.yaml("""
                split: {old.shards: 3}
                tags: ["true", "1.5", "a b", "", "x: y", "#c"]
                servers: [{name: "null", port: 7}]
                """), "test.yaml");
        String yaml = values.toMaskedYaml();
        ConfigValues again = def.parse(ConfigDefTest.yaml(yaml), "again");
        assertThat(again.toMaskedTree()).isEqualTo(values.toMaskedTree());
        assertThat(again.getList("tags")).containsExactly("true", "1.5", "a b", "", "x: y", "#c");
    }
}
