package dev.mitosis.ops.connect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mitosis.capture.ConnectorProperties;
import dev.mitosis.capture.SnapshotMode;
import dev.mitosis.connectors.kafka.KafkaClients;
import dev.mitosis.connectors.topology.MitosisConfig;
import dev.mitosis.connectors.topology.MitosisConfigLoader;
import dev.mitosis.ops.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/** Connect configs carry capture's own Debezium settings, one per server, and never a password. */
class ConnectConfigCommandTest {

    private static final String SECRET = "pw-never-printed-42";

    @TempDir
    Path dir;

    private Path config() throws Exception {
        Files.writeString(dir.resolve("password"), SECRET + "\n");
        return Files.writeString(dir.resolve("mitosis.yaml"), String.join("\n",
                "split: {old.shards: 1, new.shards: 2}",
                "schemas: [app]",
                "credentials: {user: mitosis, password.file: password}",
                "kafka: {bootstrap.servers: '127.0.0.1:9092', topic.prefix: fleet1}",
                "pairs:",
                "  - pair: 0",
                "    servers:",
                "      - {name: p0-a, host: 10.0.0.1, port: 3306}",
                "      - {name: p0-a0, host: 10.0.0.2, port: 3306}",
                ""));
    }

    private static String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new String[] {Integer.toString(code), out.toString(), err.toString()};
    }

    @Test
    void everyServerGetsCapturesDebeziumSettingsWithThePasswordAsAFileReference() throws Exception {
        Path config = config();
        String[] r = run("connect-config", "--config", config.toString(), "--secrets-file", "/etc/kafka/s.properties");

        assertThat(r[0]).as(r[2]).isEqualTo("0");
        assertThat(r[1]).doesNotContain(SECRET).doesNotContain("\n{");
        JsonNode connectors = new ObjectMapper().readTree(r[1]).path("connectors");
        assertThat(connectors).extracting(c -> c.path("name").asText())
                .containsExactly("mitosis-capture-p0-a", "mitosis-capture-p0-a0");
        JsonNode a0 = connectors.get(1).path("config");
        assertThat(a0.path("database.password").asText()).isEqualTo("${file:/etc/kafka/s.properties:p0-a0}");
        assertThat(a0.path("database.server.id").asText()).isEqualTo("5001");
        assertThat(a0.path("value.converter.schemas.enable").asText()).isEqualTo("false");

        // The same Debezium settings as the embedded engine, minus what a Connect worker configures itself.
        MitosisConfig fleet = new MitosisConfigLoader(name -> null).load(config);
        Properties engine = ConnectorProperties.of(fleet.topology().servers().get(1), fleet.schemas(),
                new KafkaClients(fleet.kafka()), SnapshotMode.NONE, 5001);
        for (String key : engine.stringPropertyNames()) {
            if (ConnectorProperties.ENGINE_ONLY.contains(key) || key.equals("name")) {
                assertThat(a0.has(key)).as(key).isFalse();
            } else if (!key.equals("database.password")) {
                assertThat(a0.path(key).asText()).as(key).isEqualTo(engine.getProperty(key));
            }
        }
        assertThat(a0.path("topic.prefix").asText()).isEqualTo("fleet1.cdc.p0-a0");
        assertThat(a0.path("database.hostname").asText()).isEqualTo("10.0.0.2");
    }

    @Test
    void writesOneFilePerConnectorForPostConnectors() throws Exception {
        String[] r = run("connect-config", "--config", config().toString(), "--out", dir.resolve("out").toString(),
                "--snapshot", "initial");

        assertThat(r[0]).as(r[2]).isEqualTo("0");
        JsonNode summary = new ObjectMapper().readTree(r[1]);
        assertThat(summary.path("files")).hasSize(2);
        JsonNode file = new ObjectMapper().readTree(dir.resolve("out").resolve("mitosis-capture-p0-a.json").toFile());
        assertThat(file.path("name").asText()).isEqualTo("mitosis-capture-p0-a");
        assertThat(file.path("config").path("snapshot.mode").asText()).isEqualTo(SnapshotMode.INITIAL.debeziumValue());
        assertThat(Files.readString(dir.resolve("out").resolve("mitosis-capture-p0-a.json"))).doesNotContain(SECRET);
    }

    @Test
    void badOptionsAreUsageErrors() throws Exception {
        Path config = config();
        assertThat(run("connect-config", "--config", config.toString(), "--snapshot", "always")[0]).isEqualTo("2");
        assertThat(run("connect-config", "--config", config.toString(), "--secrets-file", "relative.properties")[2])
                .contains("absolute path");
    }
}
