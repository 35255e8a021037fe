package dev.mitosis.connectors.topology;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mitosis.connectors.config.ConfigException;
import dev.mitosis.connectors.config.ConfigProblem;
import dev.mitosis.connectors.config.ConfigProblems;
import dev.mitosis.connectors.config.ConfigValues;
import dev.mitosis.connectors.config.YamlConfigReader;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

import static dev.mitosis.connectors.topology.MitosisConfigDef.BOOTSTRAP_SERVERS;
import static dev.mitosis.connectors.topology.MitosisConfigDef.KAFKA;
import static dev.mitosis.connectors.topology.MitosisConfigDef.SCHEMAS;
import static dev.mitosis.connectors.topology.MitosisConfigDef.TOPIC_PREFIX;

/**
 * Loads mitosis.yaml: reads the file, parses it against {@link MitosisConfigDef}, runs the cross-field checks,
 * resolves credentials, and either returns a {@link MitosisConfig} or throws a {@link ConfigException} that
 * lists every problem found, each naming its key path.
 */
public final class MitosisConfigLoader {

    /** A config file is a few kilobytes; reading a huge file by mistake should fail fast, not fill memory. */
    private static final long MAX_FILE_BYTES = 1 << 20;

    private final Function<String, String> environment;

    /**
     * @param environment looks up environment variables for {@code password.env} (null when unset); tests pass
     *                    a map's {@code get}, the CLI {@code System::getenv}
     */
    public MitosisConfigLoader(Function<String, String> environment) {
        this.environment = Objects.requireNonNull(environment, "environment");
    }

    /** A loader that reads the process environment. */
    public static MitosisConfigLoader withSystemEnvironment() {
        return new MitosisConfigLoader(System::getenv);
    }

    /**
     * Loads a config file; relative {@code password.file} paths are resolved against its directory.
     *
     * @throws ConfigException listing every problem, each with its key path
     */
    public MitosisConfig load(Path file) {
        String source = file.toString();
        String text = read(file, source);
        return parse(text, source, file.toAbsolutePath().getParent());
    }

    /**
     * Loads a config from YAML text.
     *
     * @param source  where the text came from, for messages
     * @param baseDir the directory relative {@code password.file} paths are resolved against
     * @throws ConfigException listing every problem, each with its key path
     */
    public MitosisConfig parse(String yaml, String source, Path baseDir) {
        ConfigProblems problems = new ConfigProblems();
        Optional<JsonNode> tree = YamlConfigReader.read(yaml, problems);
        if (tree.isEmpty()) {
            problems.throwIfAny(source);
        }
        ConfigValues root = MitosisConfigDef.definition().parse(tree.get(), problems);
        CredentialsResolver credentials = new CredentialsResolver(environment, baseDir, problems);
        Optional<Topology> topology = new TopologyBinder(problems, credentials).bind(root);
        Optional<Map<String, TableRule>> tables = new TableRulesBinder(problems).bind(root);
        problems.throwIfAny(source);
        ConfigValues kafka = root.getSection(KAFKA);
        return new MitosisConfig(topology.orElseThrow(), root.getList(SCHEMAS),
                new KafkaSettings(HostPortList.parse(kafka.getString(BOOTSTRAP_SERVERS)), kafka.getString(TOPIC_PREFIX)),
                tables.orElseThrow(), root);
    }

    private static String read(Path file, String source) {
        try {
            if (Files.isDirectory(file)) {
                throw fileProblem(source, "is a directory, expected a YAML config file");
            }
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw fileProblem(source, "is larger than " + MAX_FILE_BYTES + " bytes, expected a YAML config file");
            }
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(Files.readAllBytes(file)))
                    .toString();
        } catch (NoSuchFileException e) {
            throw fileProblem(source, "does not exist");
        } catch (AccessDeniedException e) {
            throw fileProblem(source, "cannot be read (permission denied)");
        } catch (CharacterCodingException e) {
            throw fileProblem(source, "is not UTF-8 text, expected a YAML config file");
        } catch (IOException e) {
            throw fileProblem(source, "cannot be read (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
        }
    }

    private static ConfigException fileProblem(String source, String what) {
        return new ConfigException(source, new ConfigProblem("", "config file " + source + " " + what));
    }
}
