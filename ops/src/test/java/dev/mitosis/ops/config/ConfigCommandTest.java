package dev.mitosis.ops.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mitosis.ops.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The config as an operator meets it through the command: valid → 0, every kind of bad input → 2 naming the key. */
class ConfigCommandTest {

    private static final String SECRET = "s3cret-Pa55word";
    private static final String VALID = """
            split:
              old.shards: 2
              new.shards: 4
            schemas: [app]
            credentials:
              user: mitosis
              password.file: secret.txt
            kafka:
              bootstrap.servers: 127.0.0.1:9092
            pairs:
              - pair: 0
                servers:
                  - name: p0-a
                    host: 127.0.0.1
                    port: 33061
                  - name: p0-a0
                    host: 127.0.0.1
                    port: 33062
              - pair: 1
                servers:
                  - name: p1-a
                    host: 127.0.0.1
                    port: 33063
                  - name: p1-a0
                    host: 127.0.0.1
                    port: 33064
            tables:
              app.accounts:
                shard.key: uid
              app.countries:
                broadcast: true
            """;

    @TempDir
    Path dir;

    @BeforeEach
    void secret() throws IOException {
        Files.writeString(dir.resolve("secret.txt"), SECRET + "\n");
    }

    @Test
    void validConfigPassesWithASummaryAndNoSecret() throws IOException {
        Result r = run(VALID, "validate");

        assertThat(r.code).as(r.err).isZero();
        JsonNode json = new ObjectMapper().readTree(r.out);
        assertThat(json.get("valid").asBoolean()).isTrue();
        assertThat(json.get("oldShards").asInt()).isEqualTo(2);
        assertThat(json.get("newShards").asInt()).isEqualTo(4);
        assertThat(json.get("pairs")).hasSize(2);
        assertThat(r.out + r.err).doesNotContain(SECRET);
    }

    @Test
    void showPrintsTheEffectiveConfigWithTheSecretMasked() {
        Result r = run(VALID, "show");

        assertThat(r.code).as(r.err).isZero();
        assertThat(r.out).contains("p1-a0", "33064", "topic.prefix").doesNotContain(SECRET);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            missing key               | '  old.shards: 2\\n'          | ''                            | split.old.shards
            unknown key (did you mean) | '  old.shards: 2\\n'          | '  old.shard: 2\\n'           | old.shard
            wrong type                | 'port: 33061'                 | 'port: abc'                   | pairs[0].servers[0].port
            port out of range         | 'port: 33062'                 | 'port: 70000'                 | pairs[0].servers[1].port
            duplicate server name     | 'name: p1-a0'                 | 'name: p1-a'                  | p1-a
            duplicate host and port   | 'port: 33064'                 | 'port: 33063'                 | 33063
            new count not twice old   | 'new.shards: 4'               | 'new.shards: 3'               | split.new.shards
            """)
    void badInputStopsWithExit2NamingTheKey(String what, String from, String to, String named) {
        String yaml = VALID.replace(unescape(from), unescape(to));
        assertThat(yaml).as("the mutation applies").isNotEqualTo(VALID);

        Result r = run(yaml, "validate");

        assertThat(r.code).as(what + "\n" + r.err).isEqualTo(2);
        assertThat(r.err).as(what).contains(named).contains("problem");
        assertThat(r.err).doesNotContain(SECRET);
    }

    @Test
    void aPairWithoutTwoServersIsNamed() {
        String yaml = dropLines(VALID, "- name: p1-a0", 3);

        Result r = run(yaml, "validate");

        assertThat(r.code).isEqualTo(2);
        assertThat(r.err).contains("pairs[1].servers");
    }

    @Test
    void aMissingFileIsAUsageErrorNamingThePath() {
        Result r = runArgs("config", "validate", "--config", dir.resolve("nope.yaml").toString());

        assertThat(r.code).isEqualTo(2);
        assertThat(r.err).contains("nope.yaml");
    }

    @Test
    void docsDocumentEveryKeyAndTheSampleIsAValidConfigShape() {
        Result docs = runArgs("config", "docs");
        Result sample = runArgs("config", "docs", "--sample");

        assertThat(docs.code).isZero();
        assertThat(docs.out).contains("split.old.shards", "pairs[].servers[].port", "kafka.bootstrap.servers");
        assertThat(sample.code).isZero();
        assertThat(sample.out).contains("old.shards:", "bootstrap.servers:");
    }

    private static String dropLines(String text, String first, int count) {
        StringBuilder kept = new StringBuilder();
        int skipping = 0;
        for (String line : text.split("\n", -1)) {
            if (skipping == 0 && line.contains(first)) {
                skipping = count;
            }
            if (skipping > 0) {
                skipping--;
                continue;
            }
            kept.append(line).append('\n');
        }
        return kept.toString();
    }

    private static String unescape(String s) {
        return s.replace("\\n", "\n");
    }

    private Result run(String yaml, String sub) {
        try {
            Path config = dir.resolve("mitosis.yaml");
            Files.writeString(config, yaml);
            return runArgs("config", sub, "--config", config.toString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Result runArgs(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(code, out.toString(), err.toString());
    }

    private record Result(int code, String out, String err) {
    }
}
