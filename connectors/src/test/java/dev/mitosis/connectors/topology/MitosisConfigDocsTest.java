package dev.mitosis.connectors.topology;

import dev.mitosis.connectors.config.ConfigDef;
import dev.mitosis.connectors.config.ConfigDocs;
import dev.mitosis.connectors.config.ConfigKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The docs and the sample are generated from the declarations, cover every key, and the sample loads. */
class MitosisConfigDocsTest {

    @TempDir
    Path dir;

    private static List<ConfigKey> allKeys(ConfigDef def) {
        List<ConfigKey> keys = new ArrayList<>();
        for (ConfigKey key : def.keys()) {
            keys.add(key);
            if (key.nested() != null) {
                keys.addAll(allKeys(key.nested()));
            }
        }
        return keys;
    }

    @Test
    void markdownDocumentsEveryKey() {
        String markdown = MitosisConfigDef.markdown();
        List<String> paths = ConfigDocs.keyPaths(MitosisConfigDef.definition());
        assertThat(paths).contains("split.old.shards", "pairs[].servers[].port", "pairs[].servers[].password.env",
                "tables[<schema.table>].shard.key", "kafka.topic.prefix");
        for (String path : paths) {
            assertThat(markdown).contains("### `" + path + "`");
        }
        for (ConfigKey key : allKeys(MitosisConfigDef.definition())) {
            assertThat(markdown).contains(key.doc());
        }
    }

    @Test
    void sampleHasEveryKeyWithItsDoc() {
        String sample = MitosisConfigDef.sampleYaml();
        for (ConfigKey key : allKeys(MitosisConfigDef.definition())) {
            assertThat(sample).containsPattern("(?m)^\\s*(# |- )?" + Pattern.quote(key.name()) + ":");
            String firstDocLine = key.doc().split(" ")[0] + " " + key.doc().split(" ")[1];
            assertThat(sample).contains("# " + firstDocLine);
        }
    }

    @Test
    void sampleLoadsWithThePasswordInTheEnvironment() throws IOException {
        Path file = dir.resolve("mitosis.yaml");
        Files.writeString(file, MitosisConfigDef.sampleYaml());
        MitosisConfig config = new MitosisConfigLoader(Map.of("MITOSIS_PASSWORD", "s3cret")::get).load(file);
        assertThat(config.topology().oldShards()).isEqualTo(2);
        assertThat(config.topology().servers()).extracting(Server::name)
                .containsExactly("p0-a", "p0-a0", "p1-a", "p1-a0");
        assertThat(config.topology().pair(0).a().credentials().password().value()).isEqualTo("s3cret");
        assertThat(config.tableRule("app", "countries").broadcast()).isTrue();
    }

    @Test
    void sampleLoadsWithAPasswordFileFilledIn() throws IOException {
        Files.writeString(dir.resolve("password"), "s3cret\n");
        String sample = MitosisConfigDef.sampleYaml()
                .replace("  # password.file: <string>\n  ", "  password.file: password\n  # ")
                .replace("  password.env: MITOSIS_PASSWORD", "  # password.env: MITOSIS_PASSWORD");
        Path file = dir.resolve("mitosis.yaml");
        Files.writeString(file, sample);
        MitosisConfig config = new MitosisConfigLoader(Map.<String, String>of()::get).load(file);
        assertThat(config.topology().pair(1).a0().credentials().password().value()).isEqualTo("s3cret");
        assertThat(config.topology().pair(1).a0().credentials().source())
                .isEqualTo(new PasswordSource.File(dir.resolve("password")));
    }
}
