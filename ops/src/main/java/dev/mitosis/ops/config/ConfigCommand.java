package dev.mitosis.ops.config;

import dev.mitosis.connectors.topology.MitosisConfig;
import dev.mitosis.connectors.topology.MitosisConfigDef;
import dev.mitosis.connectors.topology.MitosisConfigLoader;
import dev.mitosis.connectors.topology.Pair;
import dev.mitosis.ops.cli.ExitCodes;
import dev.mitosis.ops.cli.JsonOut;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mitosis config validate|show|docs}. A config with problems stops every command with exit 2 and one line
 * per problem naming the key and the value (see {@code Main}); {@code validate} does only that check.
 */
@Command(name = "config",
        mixinStandardHelpOptions = true,
        description = "Check, show and document the mitosis config (mitosis.yaml).",
        subcommands = CommandLine.HelpCommand.class)
public final class ConfigCommand {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Command(name = "validate",
            mixinStandardHelpOptions = true,
            description = "Load and check the config: exit 0 and a JSON summary if valid; exit 2 with every problem"
                    + " (key, value, what was expected) on stderr otherwise. Passwords are resolved, never printed.",
            footer = {"", "Example:", "  mitosis config validate --config sandbox/mitosis.yaml"})
    int validate(@Option(names = "--config", required = true, paramLabel = "C") Path config) {
        MitosisConfig loaded = MitosisConfigLoader.withSystemEnvironment().load(config);
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("config", config.toAbsolutePath().toString());
        summary.put("valid", true);
        summary.put("oldShards", loaded.topology().shardMap().oldShards());
        summary.put("newShards", loaded.topology().shardMap().newShards());
        List<Map<String, Object>> pairs = new ArrayList<>();
        for (Pair pair : loaded.topology().pairs()) {
            pairs.add(Map.of("pair", pair.number(), "a", pair.a().toString(), "a0", pair.a0().toString()));
        }
        summary.put("pairs", pairs);
        summary.put("schemas", loaded.schemas());
        JsonOut.print(spec.commandLine().getOut(), summary);
        return ExitCodes.OK;
    }

    @Command(name = "show",
            mixinStandardHelpOptions = true,
            description = "Print the effective config as YAML, defaults filled in and secrets masked.",
            footer = {"", "Example:", "  mitosis config show --config sandbox/mitosis.yaml"})
    int show(@Option(names = "--config", required = true, paramLabel = "C") Path config) {
        spec.commandLine().getOut().print(MitosisConfigLoader.withSystemEnvironment().load(config).toMaskedYaml());
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }

    @Command(name = "docs",
            mixinStandardHelpOptions = true,
            description = "Print every config key with its type, default, valid values and doc (Markdown), or a"
                    + " documented sample config (--sample). Both come from the same declarations the loader checks.",
            footer = {"", "Examples:", "  mitosis config docs > docs/CONFIG.md",
                "  mitosis config docs --sample > docs/mitosis.sample.yaml"})
    int docs(@Option(names = "--sample", description = "a sample mitosis.yaml with every key documented") boolean sample) {
        spec.commandLine().getOut().print(sample ? MitosisConfigDef.sampleYaml() : MitosisConfigDef.markdown());
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
