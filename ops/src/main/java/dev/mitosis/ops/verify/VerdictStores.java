package dev.mitosis.ops.verify;

import dev.mitosis.connectors.topology.MitosisConfig;
import dev.mitosis.connectors.topology.MitosisConfigLoader;
import dev.mitosis.connectors.topology.Pair;
import dev.mitosis.ops.cli.OperatorException;
import dev.mitosis.verifier.FileVerdictStore;
import dev.mitosis.verifier.KafkaVerdictStore;
import dev.mitosis.verifier.VerdictStore;

import java.nio.file.Path;

/** What verify and gate share: loading the config, finding the pair, the report dir and the verdict store. */
final class VerdictStores {

    /** Where verdicts are kept. */
    enum Kind {
        /** The compacted topic {@code <prefix>.verdicts} (report files are written beside it as well). */
        kafka,
        /** Only the report dir: report.json and verdicts.jsonl. */
        files
    }

    private VerdictStores() {
    }

    static MitosisConfig load(Path config) {
        return MitosisConfigLoader.withSystemEnvironment().load(config);
    }

    static Pair pair(MitosisConfig config, int pair) {
        try {
            return config.topology().pair(pair);
        } catch (IllegalArgumentException e) {
            throw OperatorException.usage("--pair " + pair + ": " + e.getMessage());
        }
    }

    /** The report dir: the one given, else {@code mitosis-reports/pair-<n>} under the working directory. */
    static Path reportDir(Path given, int pair) {
        return given != null ? given : Path.of("mitosis-reports", "pair-" + pair);
    }

    static VerdictStore open(Kind kind, MitosisConfig config, Path reportDir) {
        return kind == Kind.kafka ? new KafkaVerdictStore(config.kafka()) : new FileVerdictStore(reportDir);
    }
}
