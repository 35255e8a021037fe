package dev.mitosis.connectors.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.mitosis.connectors.config.ConfigDef.Importance;
import dev.mitosis.connectors.config.ConfigDef.Type;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

import static dev.mitosis.connectors.config.ConfigDef.NO_DEFAULT_VALUE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class ConfigDefTest {

    private static final YAMLMapper YAML = new YAMLMapper();

    static ConfigDef serverDef() {
        return new ConfigDef()
                .define("name", Type.STRING, Importance.HIGH, "The server name.")
                .define("port", Type.INT, NO_DEFAULT_VALUE, Range.between(1, 65535), Importance.HIGH, "The port.")
                .define("secret", Type.PASSWORD, null, NonEmpty.described("a non-empty secret"), Importance.LOW,
                        "A secret.");
    }

    static ConfigDef tableDef() {
        return new ConfigDef()
                .define("shard.key", Type.STRING, "uid", Importance.MEDIUM, "The shard key column.")
                .define("broadcast", Type.BOOLEAN, false, Importance.MEDIUM, "Copied everywhere.");
    }

    static ConfigDef rootDef() {
        return new ConfigDef()
                .defineSection("split", true, new ConfigDef()
                        .define("old.shards", Type.INT, NO_DEFAULT_VALUE, Range.atLeast(1), Importance.HIGH, "n."),
                        Importance.HIGH, "The split.")
                .define("max.bytes", Type.LONG, 10L, Importance.LOW, "A long.")
                .define("rate.per.second", Type.DOUBLE, 1.5, Importance.LOW, "A double.")
                .define("enabled", Type.BOOLEAN, true, Importance.LOW, "A boolean.")
                .define("tags", Type.LIST, List.of("a"), Importance.LOW, "A list.")
                .defineListOf("servers", true, serverDef(), NonEmpty.described("a non-empty list of servers"),
                        Importance.HIGH, "The servers.")
                .defineMapOf("tables", false, "schema.table",
                        Matches.pattern("[^.]+\\.[^.]+", "a table name schema.table"), tableDef(),
                        Importance.MEDIUM, "Table rules.");
    }

    static JsonNode yaml(String text) throws Exception {
        return YAML.readTree(text);
    }

    static List<String> problems(ConfigDef def, String text) throws Exception {
        JsonNode tree = yaml(text);
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> def.parse(tree, "test.yaml"));
        assertThat(e).as("expected a ConfigException for:%n%s", text).isNotNull();
        return e.problems().stream().map(ConfigProblem::toString).toList();
    }

    @Test
    void parsesTypedValuesAndFillsDefaults() throws Exception {
        ConfigValues values = rootDef().parse(yaml("""
                split: {old.shards: 2}
                max.bytes: 9999999999
                tags: [x, y]
                servers:
                  - {name: a, port: 1, secret: hunter2}
                  - {name: b, port: 65535}
                tables:
                  app.users: {shard.key: user_id}
                  app.countries:
                """), "test.yaml");
        assertThat(values.getSection("split").getInt("old.shards")).isEqualTo(2);
        assertThat(values.getLong("max.bytes")).isEqualTo(9_999_999_999L);
        assertThat(values.getDouble("rate.per.second")).isEqualTo(1.5);
        assertThat(values.getBoolean("enabled")).isTrue();
        assertThat(values.isExplicit("enabled")).isFalse();
        assertThat(values.getList("tags")).containsExactly("x", "y");
        List<ConfigValues> servers = values.getListOf("servers");
        assertThat(servers).hasSize(2);
        assertThat(servers.get(0).getPassword("secret").value()).isEqualTo("hunter2");
        assertThat(servers.get(1).isSet("secret")).isFalse();
        assertThat(servers.get(1).pathOf("port")).isEqualTo("servers[1].port");
        Map<String, ConfigValues> tables = values.getMapOf("tables");
        assertThat(tables.keySet()).containsExactly("app.users", "app.countries");
        assertThat(tables.get("app.users").getString("shard.key")).isEqualTo("user_id");
        assertThat(tables.get("app.countries").getString("shard.key")).isEqualTo("uid");
        assertThat(tables.get("app.countries").pathOf("broadcast")).isEqualTo("tables[app.countries].broadcast");
    }

    @Test
    void optionalNestedKeysLeftOutAreEmpty() throws Exception {
        ConfigValues values = rootDef().parse(yaml("split: {old.shards: 1}\nservers: [{name: a, port: 1}]\n"),
                "test.yaml");
        assertThat(values.getMapOf("tables")).isEmpty();
        assertThat(values.isExplicit("tables")).isFalse();
    }

    @Test
    void reportsEveryProblemWithItsFullPath() throws Exception {
        assertThat(problems(rootDef(), """
                split: {old.shards: 0}
                enabled: "yes"
                servers:
                  - {name: a, port: 70000}
                  - {name: b, port: "abc"}
                  - {port: 3.5}
                  - {name: [x], port: 99999999999}
                tables:
                  users: {}
                  app.t: [1]
                """)).containsExactly(
                "split.old.shards: 0 is out of range, expected an integer >= 1",
                "enabled: \"yes\" is not a boolean, expected true or false",
                "servers[0].port: 70000 is out of range, expected an integer in [1, 65535]",
                "servers[1].port: \"abc\" is not an integer, expected an integer in [1, 65535]",
                "servers[2].name: missing required key, expected a string",
                "servers[2].port: 3.5 is not an integer, expected an integer in [1, 65535]",
                "servers[3].name: a list is not a string, expected a string",
                "servers[3].port: 99999999999 is out of range, expected an integer in [1, 65535]",
                "tables[users]: \"users\" does not match [^.]+\\.[^.]+, expected a table name schema.table",
                "tables[app.t]: a list is not a map, expected a map with keys shard.key, broadcast");
    }

    @Test
    void reportsMissingRequiredKeysAtEveryLevel() throws Exception {
        assertThat(problems(rootDef(), "split: {}\n")).containsExactly(
                "split.old.shards: missing required key, expected an integer >= 1",
                "servers: missing required key, expected a non-empty list of servers");
    }

    @Test
    void reportsContainersOfTheWrongKind() throws Exception {
        assertThat(problems(rootDef(), "split: [1]\nservers: {name: a}\ntags: [a, 1]\n")).containsExactly(
                "split: a list is not a map, expected a map with keys old.shards",
                "tags[1]: 1 is not a string, expected a string",
                "servers: a map is not a list, expected a non-empty list of servers");
        assertThat(problems(rootDef(), "split: {old.shards: 1}\nservers: [a]\n")).containsExactly(
                "servers[0]: \"a\" is not a map, expected a map with keys name, port, secret");
        assertThat(problems(rootDef(), "split: {old.shards: 1}\nservers: []\n")).containsExactly(
                "servers: [] is empty, expected a non-empty list of servers");
    }

    @Test
    void rejectsNullForScalarsAndNumbersForStrings() throws Exception {
        assertThat(problems(rootDef(), "split: {old.shards: }\nservers: [{name: 12, port: 1}]\n")).containsExactly(
                "split.old.shards: null is not an integer, expected an integer >= 1",
                "servers[0].name: 12 is not a string, expected a string");
    }

    @Test
    void rejectsTheTopLevelWhenNotAMap() throws Exception {
        assertThat(problems(rootDef(), "[1, 2]\n")).containsExactly(
                "the top level is a list, expected a map with keys split, max.bytes, rate.per.second, enabled, "
                        + "tags, servers, tables");
    }

    @Test
    void suggestsTheKeyMeantByAnUnknownOne() throws Exception {
        assertThat(problems(rootDef(), """
                split: {old_shards: 2}
                servers: [{name: a, prot: 1}]
                old.shards: 2
                colour: blue
                """)).containsExactly(
                "old.shards: unknown key, did you mean to put it under 'split'?",
                "colour: unknown key, expected one of split, max.bytes, rate.per.second, enabled, tags, servers, "
                        + "tables",
                "split.old_shards: unknown key, did you mean 'old.shards'?",
                "split.old.shards: missing required key, expected an integer >= 1",
                "servers[0].prot: unknown key, did you mean 'port'?",
                "servers[0].port: missing required key, expected an integer in [1, 65535]");
    }

    @Test
    void neverShowsAPasswordValue() throws Exception {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> rootDef().parse(yaml("""
                split: {old.shards: 1}
                servers:
                  - {name: a, port: 1, secret: 987654321}
                  - {name: b, port: 1, secret: ""}
                  - {name: c, port: 1, secret: [hunter2]}
                """), "test.yaml"));
        assertThat(e.problems()).extracting(ConfigProblem::toString).containsExactly(
                "servers[0].secret: [hidden] is not a string, expected a non-empty secret",
                "servers[1].secret: [hidden] is empty, expected a non-empty secret",
                "servers[2].secret: [hidden] is not a string, expected a non-empty secret");
        assertThat(e.getMessage()).doesNotContain("987654321").doesNotContain("hunter2");

        ConfigValues values = rootDef().parse(yaml("split: {old.shards: 1}\nservers: [{name: a, port: 1, "
                + "secret: hunter2}]\n"), "test.yaml");
        assertThat(values.toMaskedYaml()).contains("secret: \"[hidden]\"").doesNotContain("hunter2");
        assertThat(values.toString()).doesNotContain("hunter2");
    }

    @Test
    void exceptionMessageNamesSourceAndEveryProblem() throws Exception {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> rootDef().parse(yaml("split: {}\n"), "/etc/mitosis.yaml"));
        assertThat(e.source()).isEqualTo("/etc/mitosis.yaml");
        assertThat(e.getMessage()).startsWith("/etc/mitosis.yaml: 2 config problems")
                .contains("  split.old.shards: missing required key")
                .contains("  servers: missing required key");
    }

    @Test
    void gettersRejectUndeclaredKeysWrongTypesAndUnsetValues() throws Exception {
        ConfigValues values = rootDef().parse(yaml("split: {old.shards: 1}\nservers: [{name: a, port: 1}]\n"),
                "test.yaml");
        assertThatThrownBy(() -> values.getInt("nope")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> values.getString("enabled")).isInstanceOf(IllegalArgumentException.class);
        ConfigValues server = values.getListOf("servers").get(0);
        assertThatThrownBy(() -> server.getPassword("secret")).isInstanceOf(NoSuchElementException.class)
                .hasMessageContaining("servers[0].secret");
    }

    @Test
    void declarationsAreCheckedWhenMade() {
        assertThatThrownBy(() -> new ConfigDef()
                .define("a", Type.INT, Importance.LOW, "A.")
                .define("a", Type.INT, Importance.LOW, "A again."))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("declared twice");
        assertThatThrownBy(() -> new ConfigDef().define("a", Type.INT, "1", Importance.LOW, "A."))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ConfigDef().define("a", Type.INT, 0, Range.atLeast(1), Importance.LOW, "A."))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("an integer >= 1");
        assertThatThrownBy(() -> new ConfigDef().define("a", Type.SECTION, null, Importance.LOW, "A."))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void passwordIsMaskedWhenPrinted() {
        Password password = new Password("hunter2");
        assertThat(password.toString()).isEqualTo("[hidden]");
        assertThat(String.valueOf(List.of(password))).doesNotContain("hunter2");
        assertThat(password.value()).isEqualTo("hunter2");
        assertThat(password).isEqualTo(new Password("hunter2")).isNotEqualTo(new Password("other"));
    }

    @Test
    void suggesterToleratesSmallTyposOnly() {
        assertThat(KeySuggester.suggest("prot", List.of("name", "port"))).hasValue("port");
        assertThat(KeySuggester.suggest("Password_File", List.of("password.file", "password.env")))
                .hasValue("password.file");
        assertThat(KeySuggester.suggest("colour", List.of("name", "port"))).isEmpty();
        assertThat(KeySuggester.distance("ab", "ba")).isEqualTo(1);
    }
}
