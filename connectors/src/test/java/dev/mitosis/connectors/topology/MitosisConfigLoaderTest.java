package dev.mitosis.connectors.topology;

import dev.mitosis.connectors.config.ConfigException;
import dev.mitosis.connectors.config.ConfigProblem;
import dev.mitosis.connectors.shard.ServerRole;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Every kind of bad mitosis.yaml is refused with a problem naming the key path, the value and what was
 * expected; and no message ever holds a password.
 */
class MitosisConfigLoaderTest {

    private static final String FILE_SECRET = "file-secret-0";
    private static final String ENV_SECRET = "env-secret-1";

    /** Pair 1 is listed first and p1-a overrides user and password, to show both are handled. */
    static final String VALID = """
            split:
              old.shards: 2
              new.shards: 4
            schemas: [app]
            credentials:
              user: mitosis
              password.file: pw.txt
            kafka:
              bootstrap.servers: 127.0.0.1:9092,broker2:9093
            pairs:
              - pair: 1
                servers:
                  - name: p1-a
                    host: 127.0.0.1
                    port: 33063
                    user: admin
                    password.env: P1_PASSWORD
                  - name: p1-a0
                    host: 127.0.0.1
                    port: 33064
              - pair: 0
                servers:
                  - name: p0-a
                    host: 127.0.0.1
                    port: 33061
                  - name: p0-a0
                    host: 127.0.0.1
                    port: 33062
            tables:
              app.users:
                shard.key: user_id
              app.countries:
                broadcast: true
            """;

    @TempDir
    Path dir;

    private final Map<String, String> environment = new HashMap<>(Map.of("P1_PASSWORD", ENV_SECRET));

    @BeforeEach
    void writePasswordFile() throws IOException {
        Files.writeString(dir.resolve("pw.txt"), FILE_SECRET + "\n");
    }

    private MitosisConfig load(String yaml) throws IOException {
        Path file = dir.resolve("mitosis.yaml");
        Files.writeString(file, yaml);
        return new MitosisConfigLoader(environment::get).load(file);
    }

    /** The problems of a bad config, as the CLI prints them; checks no message holds a password. */
    private List<String> problems(String yaml) throws IOException {
        Path file = dir.resolve("mitosis.yaml");
        Files.writeString(file, yaml);
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> new MitosisConfigLoader(environment::get).load(file));
        assertThat(e).as("expected a ConfigException for:%n%s", yaml).isNotNull();
        assertThat(e.getMessage()).doesNotContain(FILE_SECRET).doesNotContain(ENV_SECRET);
        return e.problems().stream().map(ConfigProblem::toString).toList();
    }

    private static String valid(String target, String replacement) {
        assertThat(VALID).contains(target);
        return VALID.replace(target, replacement);
    }

    @Test
    void bindsAValidConfig() throws IOException {
        MitosisConfig config = load(VALID);

        Topology topology = config.topology();
        assertThat(topology.oldShards()).isEqualTo(2);
        assertThat(topology.newShards()).isEqualTo(4);
        assertThat(topology.pairs()).extracting(Pair::number).containsExactly(0, 1);
        Pair pair1 = topology.pair(1);
        assertThat(pair1.a().name()).isEqualTo("p1-a");
        assertThat(pair1.a().role()).isEqualTo(ServerRole.A);
        assertThat(pair1.a0().role()).isEqualTo(ServerRole.A0);
        assertThat(pair1.a0().address()).isEqualTo(new HostPort("127.0.0.1", 33064));
        assertThat(topology.servers()).extracting(Server::name).containsExactly("p0-a", "p0-a0", "p1-a", "p1-a0");
        assertThat(topology.serverOfNewShard(3).name()).isEqualTo("p1-a0");
        assertThat(topology.server("p0-a0")).map(Server::port).hasValue(33062);

        Credentials defaults = topology.pair(0).a().credentials();
        assertThat(defaults.user()).isEqualTo("mitosis");
        assertThat(defaults.password().value()).isEqualTo(FILE_SECRET); // trailing newline not part of it
        assertThat(defaults.source()).isEqualTo(new PasswordSource.File(dir.resolve("pw.txt")));
        Credentials override = pair1.a().credentials();
        assertThat(override.user()).isEqualTo("admin");
        assertThat(override.password().value()).isEqualTo(ENV_SECRET);
        assertThat(override.source()).isEqualTo(new PasswordSource.Env("P1_PASSWORD"));
        assertThat(pair1.a0().credentials()).isEqualTo(defaults);

        assertThat(config.schemas()).containsExactly("app");
        assertThat(config.kafka().bootstrapServersProperty()).isEqualTo("127.0.0.1:9092,broker2:9093");
        assertThat(config.kafka().topicPrefix()).isEqualTo("mitosis");
        assertThat(config.tables().keySet()).containsExactly("app.users", "app.countries");
        assertThat(config.tableRule("app", "users").shardKey()).hasValue("user_id");
        assertThat(config.tableRule("app", "countries").broadcast()).isTrue();
        assertThat(config.tableRule("app", "orders")).isEqualTo(TableRule.sharded("app", "orders", "uid"));
    }

    @Test
    void neverPrintsAPassword() throws IOException {
        MitosisConfig config = load(VALID);
        String masked = config.toMaskedYaml();
        assertThat(masked).doesNotContain(FILE_SECRET).doesNotContain(ENV_SECRET)
                .contains("password.file: pw.txt").contains("password.env: P1_PASSWORD");
        assertThat(config.toString()).doesNotContain(FILE_SECRET).doesNotContain(ENV_SECRET);
        assertThat(config.topology().toString()).doesNotContain(FILE_SECRET).doesNotContain(ENV_SECRET);
        assertThat(config.topology().pair(1).a().credentials().toString())
                .contains("[hidden]").contains("password.env P1_PASSWORD").doesNotContain(ENV_SECRET);
    }

    @Test
    void maskedYamlShowsDefaultsAndLoadsBackToTheSameConfig() throws IOException {
        MitosisConfig config = load(VALID);
        String masked = config.toMaskedYaml();
        assertThat(masked).contains("topic.prefix: mitosis").contains("broadcast: false");
        MitosisConfig again = load(masked);
        assertThat(again.topology()).isEqualTo(config.topology());
        assertThat(again.tables()).isEqualTo(config.tables());
        assertThat(again.kafka()).isEqualTo(config.kafka());
    }

    @Test
    void newShardsMustBeTwiceOldShards() throws IOException {
        assertThat(problems(valid("new.shards: 4", "new.shards: 3"))).containsExactly(
                "split.new.shards: 3 is not 2 * split.old.shards (2), expected exactly 4");
    }

    @Test
    void pairCountMustMatchOldShards() throws IOException {
        assertThat(problems(VALID.replace("old.shards: 2", "old.shards: 3").replace("new.shards: 4", "new.shards: 6")))
                .containsExactly(
                        "pairs: a list of 2 entries does not match split.old.shards (3), expected exactly 3 pairs, "
                                + "one per old shard",
                        "pairs: pair 2 is missing, expected each pair number in [0, 2] exactly once");
    }

    @Test
    void pairNumbersMustBeEachOfZeroToNMinusOneOnce() throws IOException {
        assertThat(problems(valid("- pair: 0", "- pair: 1"))).containsExactly(
                "pairs[1].pair: 1 is also the number of pairs[0], expected each pair number in [0, 1] exactly once",
                "pairs: pair 0 is missing, expected each pair number in [0, 1] exactly once");
        assertThat(problems(valid("- pair: 0", "- pair: 2"))).containsExactly(
                "pairs[1].pair: 2 is out of range, expected an integer in [0, 1] (split.old.shards is 2)",
                "pairs: pair 0 is missing, expected each pair number in [0, 1] exactly once");
        assertThat(problems(valid("- pair: 0", "- pair: -1"))).containsExactly(
                "pairs[1].pair: -1 is out of range, expected an integer >= 0",
                "pairs: pair 0 is missing, expected each pair number in [0, 1] exactly once");
    }

    @Test
    void aPairHasExactlyTwoServers() throws IOException {
        assertThat(problems(valid("""
                      - name: p0-a0
                        host: 127.0.0.1
                        port: 33062
                """, ""))).containsExactly(
                "pairs[1].servers: a list of 1 entry is not a pair, expected exactly 2 servers: A first, then A0");
        assertThat(problems(valid("""
                      - name: p0-a0
                        host: 127.0.0.1
                        port: 33062
                """, """
                      - name: p0-a0
                        host: 127.0.0.1
                        port: 33062
                      - name: p0-b
                        host: 127.0.0.1
                        port: 33065
                """))).containsExactly(
                "pairs[1].servers: a list of 3 entries is not a pair, expected exactly 2 servers: A first, then A0");
    }

    @Test
    void serverNamesAreUniqueInTheTopology() throws IOException {
        assertThat(problems(valid("name: p0-a0", "name: p1-a"))).containsExactly(
                "pairs[1].servers[1].name: \"p1-a\" is also the name of pairs[0].servers[0], "
                        + "expected a server name unique in the topology");
    }

    @Test
    void addressesAreUniqueInTheTopology() throws IOException {
        String yaml = valid("host: 127.0.0.1\n        port: 33062", "host: BROKER.example\n        port: 33062")
                .replace("host: 127.0.0.1\n        port: 33064", "host: broker.example\n        port: 33062");
        assertThat(problems(yaml)).containsExactly(
                "pairs[1].servers[1]: \"BROKER.example:33062\" (host:port) is also the address of "
                        + "pairs[0].servers[1], expected a host:port unique in the topology");
    }

    @Test
    void serverNamesMustFitInTopicNames() throws IOException {
        String expected = " does not match [A-Za-z0-9][A-Za-z0-9_.-]*, expected a server name: a letter or digit, "
                + "then letters, digits, '_', '.' or '-'";
        assertThat(problems(valid("name: p0-a0", "name: p0 a0")))
                .containsExactly("pairs[1].servers[1].name: \"p0 a0\"" + expected);
        assertThat(problems(valid("name: p0-a0", "name: _p0")))
                .containsExactly("pairs[1].servers[1].name: \"_p0\"" + expected);
        assertThat(problems(valid("name: p0-a0", "name: p0/a0")))
                .containsExactly("pairs[1].servers[1].name: \"p0/a0\"" + expected);
    }

    @Test
    void portsAreIntegersFromOneTo65535() throws IOException {
        assertThat(problems(valid("port: 33062", "port: 70000"))).containsExactly(
                "pairs[1].servers[1].port: 70000 is out of range, expected an integer in [1, 65535]");
        assertThat(problems(valid("port: 33062", "port: 0"))).containsExactly(
                "pairs[1].servers[1].port: 0 is out of range, expected an integer in [1, 65535]");
        assertThat(problems(valid("port: 33062", "port: abc"))).containsExactly(
                "pairs[1].servers[1].port: \"abc\" is not an integer, expected an integer in [1, 65535]");
        assertThat(problems(valid("port: 33062", "port: 33062.5"))).containsExactly(
                "pairs[1].servers[1].port: 33062.5 is not an integer, expected an integer in [1, 65535]");
    }

    @Test
    void defaultCredentialsNeedExactlyOnePasswordSource() throws IOException {
        assertThat(problems(valid("  password.file: pw.txt\n", ""))).containsExactly(
                "credentials: neither password.file nor password.env is set, expected exactly one of them");
        assertThat(problems(valid("  password.file: pw.txt\n", "  password.file: pw.txt\n  password.env: X\n")))
                .containsExactly("credentials: both password.file (\"pw.txt\") and password.env (\"X\") are set, "
                        + "expected exactly one of them");
    }

    @Test
    void aServerOverridesWithAtMostOnePasswordSource() throws IOException {
        assertThat(problems(valid("password.env: P1_PASSWORD", "password.env: P1_PASSWORD\n"
                + "        password.file: pw.txt"))).containsExactly(
                "pairs[0].servers[0]: both password.file (\"pw.txt\") and password.env (\"P1_PASSWORD\") are set, "
                        + "expected exactly one of them");
    }

    @Test
    void passwordEnvMustNameASetVariable() throws IOException {
        environment.clear();
        assertThat(problems(VALID)).containsExactly(
                "pairs[0].servers[0].password.env: \"P1_PASSWORD\" is not set in the environment, "
                        + "expected the name of a set environment variable holding the password");
        assertThat(problems(valid("password.env: P1_PASSWORD", "password.env: 1BAD"))).containsExactly(
                "pairs[0].servers[0].password.env: \"1BAD\" does not match [A-Za-z_][A-Za-z0-9_]*, "
                        + "expected an environment variable name");
    }

    @Test
    void passwordFileMustBeReadable() throws IOException {
        Path missing = dir.resolve("missing.txt");
        assertThat(problems(valid("password.file: pw.txt", "password.file: missing.txt"))).containsExactly(
                "credentials.password.file: \"missing.txt\" (" + missing + ") does not exist, "
                        + "expected a readable file holding the password");
        assertThat(problems(valid("password.file: pw.txt", "password.file: " + dir))).containsExactly(
                "credentials.password.file: \"" + dir + "\" is a directory, "
                        + "expected a readable file holding the password");
        Files.write(dir.resolve("big.txt"), new byte[5000]);
        assertThat(problems(valid("password.file: pw.txt", "password.file: big.txt"))).containsExactly(
                "credentials.password.file: \"big.txt\" (" + dir.resolve("big.txt") + ") is larger than 4096 "
                        + "bytes, expected a readable file holding the password");
    }

    @Test
    void tableNamesAreSchemaDotTable() throws IOException {
        String expected = " does not match [^.\\s\\x00]+\\.[^.\\s\\x00]+, expected a table name schema.table";
        assertThat(problems(valid("app.users:", "users:"))).containsExactly("tables[users]: \"users\"" + expected);
        assertThat(problems(valid("app.users:", "app.users.x:")))
                .containsExactly("tables[app.users.x]: \"app.users.x\"" + expected);
    }

    @Test
    void broadcastTablesHaveNoShardKey() throws IOException {
        assertThat(problems(valid("broadcast: true", "broadcast: true\n    shard.key: uid"))).containsExactly(
                "tables[app.countries].shard.key: \"uid\" is set on a table with broadcast: true, "
                        + "expected no shard.key on a broadcast table (it is never purged)");
    }

    @Test
    void tablesMustBeInAListedSchema() throws IOException {
        assertThat(problems(valid("app.users:", "other.users:"))).containsExactly(
                "tables[other.users]: \"other.users\" is in schema \"other\", which is not in schemas [\"app\"], "
                        + "expected a table of a schema listed in schemas");
    }

    @Test
    void schemasIsANonEmptyListOfNames() throws IOException {
        assertThat(problems(valid("schemas: [app]", "schemas: []").replace("tables:", "other:")))
                .contains("schemas: [] is empty, expected a non-empty list of schema names (no '.' or whitespace)");
        assertThat(problems(valid("schemas: [app]", "schemas: app"))).containsExactly(
                "schemas: \"app\" is not a list, expected a non-empty list of schema names (no '.' or whitespace)");
        assertThat(problems(valid("schemas: [app]", "schemas: [app, a.b]"))).containsExactly(
                "schemas: [\"app\", \"a.b\"] has \"a.b\", which does not match [^.\\s\\x00]+, "
                        + "expected a non-empty list of schema names (no '.' or whitespace)");
    }

    @Test
    void bootstrapServersIsAHostPortList() throws IOException {
        String expected = ", expected a comma-separated list of host:port, e.g. 127.0.0.1:9092,broker2:9092";
        String key = "kafka.bootstrap.servers: ";
        String valid = "bootstrap.servers: 127.0.0.1:9092,broker2:9093";
        assertThat(problems(valid(valid, "bootstrap.servers: localhost")))
                .containsExactly(key + "\"localhost\" has \"localhost\", which has no port" + expected);
        assertThat(problems(valid(valid, "bootstrap.servers: \"h:1,h:99999\"")))
                .containsExactly(key + "\"h:1,h:99999\" has \"h:99999\", which has a port outside [1, 65535]"
                        + expected);
        assertThat(problems(valid(valid, "bootstrap.servers: \"h:1,\"")))
                .containsExactly(key + "\"h:1,\" has \"\", which has no port" + expected);
        assertThat(problems(valid(valid, "bootstrap.servers: \":9092\"")))
                .containsExactly(key + "\":9092\" has \":9092\", which has no host" + expected);
        assertThat(problems(valid(valid, "bootstrap.servers: [a]")))
                .containsExactly(key + "a list is not a string" + expected);
    }

    @Test
    void yamlSyntaxErrorsNameLineAndColumn() throws IOException {
        assertThat(problems("split:\n  old.shards: 2\n new.shards: 4\n")).singleElement().asString()
                .startsWith("YAML syntax error at line 3, column 2: ");
        assertThat(problems("schemas: [app\n")).singleElement().asString()
                .startsWith("YAML syntax error at line 2, column 1: ");
        assertThat(problems("split:\n  old.shards: 2\n  old.shards: 3\n")).singleElement().asString()
                .startsWith("YAML syntax error at line 3, column ").contains("Duplicate field 'old.shards'");
    }

    @Test
    void refusesEmptyFilesAndSeveralDocuments() throws IOException {
        assertThat(problems("")).containsExactly("the file is empty, expected a YAML map of config keys");
        assertThat(problems("# only a comment\n\n")).containsExactly(
                "the file is empty, expected a YAML map of config keys");
        assertThat(problems(VALID + "---\nsplit: {}\n")).singleElement().asString()
                .startsWith("the file holds more than one YAML document");
        assertThat(problems("- 1\n")).singleElement().asString().startsWith("the top level is a list, expected a "
                + "map with keys split, schemas, credentials, kafka, pairs, tables");
    }

    @Test
    void refusesAMissingFile() {
        Path missing = dir.resolve("nope.yaml");
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> new MitosisConfigLoader(environment::get).load(missing));
        assertThat(e.problems()).containsExactly(new ConfigProblem("", "config file " + missing + " does not exist"));
        ConfigException directory = catchThrowableOfType(ConfigException.class,
                () -> new MitosisConfigLoader(environment::get).load(dir));
        assertThat(directory.problems()).singleElement().extracting(ConfigProblem::message).asString()
                .contains("is a directory");
    }

    @Test
    void namesUnknownAndMissingKeysAndWrongTypes() throws IOException {
        assertThat(problems(valid("    port: 33061", "    prot: 33061"))).containsExactly(
                "pairs[1].servers[0].prot: unknown key, did you mean 'port'?",
                "pairs[1].servers[0].port: missing required key, expected an integer in [1, 65535]");
        assertThat(problems(valid("kafka:\n", "kafka:\n  topic_prefix: x\n")))
                .containsExactly("kafka.topic_prefix: unknown key, did you mean 'topic.prefix'?");
        assertThat(problems(valid("split:\n  old.shards: 2\n  new.shards: 4\n", "split: [2, 4]\n")))
                .containsExactly("split: a list is not a map, expected a map with keys old.shards, new.shards");
        assertThat(problems(valid("kafka:\n  bootstrap.servers: 127.0.0.1:9092,broker2:9093\n", "")))
                .containsExactly("kafka: missing required key, expected a map with keys bootstrap.servers, "
                        + "topic.prefix");
    }

    @Test
    void reportsEveryProblemAtOnce() throws IOException {
        String yaml = VALID
                .replace("new.shards: 4", "new.shards: 5")
                .replace("port: 33062", "port: 70000")
                .replace("name: p0-a0", "name: p1-a")
                .replace("app.users:", "other.users:")
                .replace("bootstrap.servers: 127.0.0.1:9092,broker2:9093", "bootstrap.servers: nowhere")
                .replace("password.env: P1_PASSWORD", "password.env: UNSET");
        assertThat(problems(yaml)).extracting(problem -> problem.substring(0, problem.indexOf(':'))).containsExactly(
                "kafka.bootstrap.servers",
                "pairs[1].servers[1].port",
                "split.new.shards",
                "pairs[0].servers[0].password.env",
                "pairs[1].servers[1].name",
                "tables[other.users]");
    }
}
