package dev.mitosis.ops.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mitosis.connectors.topology.MitosisConfigDef;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * docs/CONFIG.md and docs/mitosis.sample.yaml are generated from the key declarations; this fails when a key
 * changed and the docs were not regenerated (`./mitosis config docs > docs/CONFIG.md`,
 * `./mitosis config docs --sample > docs/mitosis.sample.yaml`).
 */
class ConfigDocsFilesTest {

    private static final Path DOCS = Path.of("..", "docs");

    @Test
    void configReferenceIsTheGeneratedOne() throws IOException {
        assertThat(Files.readString(DOCS.resolve("CONFIG.md")))
                .as("docs/CONFIG.md is stale: run ./mitosis config docs > docs/CONFIG.md")
                .isEqualTo(MitosisConfigDef.markdown());
    }

    @Test
    void sampleConfigIsTheGeneratedOne() throws IOException {
        assertThat(Files.readString(DOCS.resolve("mitosis.sample.yaml")))
                .as("docs/mitosis.sample.yaml is stale: run ./mitosis config docs --sample > docs/mitosis.sample.yaml")
                .isEqualTo(MitosisConfigDef.sampleYaml());
    }
}
