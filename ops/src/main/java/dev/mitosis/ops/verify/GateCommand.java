package dev.mitosis.ops.verify;

import dev.mitosis.connectors.topology.MitosisConfig;
import dev.mitosis.ops.cli.JsonOut;
import dev.mitosis.ops.cli.Progress;
import dev.mitosis.verifier.Gate;
import dev.mitosis.verifier.PairReport;
import dev.mitosis.verifier.VerdictStore;
import dev.mitosis.verifier.VerifySettings;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code mitosis gate}: the stored verdict of a pair, as a pipeline step. */
@Command(name = "gate",
        mixinStandardHelpOptions = true,
        description = "Read the newest stored verdict of a pair and exit by it: PASS only if it is PASS and younger than"
                + " --max-age; a stale PASS or no verdict is UNKNOWN. Prints one JSON object with the coverage figures.",
        footer = {"", "Exit codes: 0 PASS, 1 FAIL, 2 usage or config error, 3 UNKNOWN or stale.", "",
            "Example:", "  mitosis gate --config sandbox/mitosis.yaml --pair 0 --max-age 10m"})
public final class GateCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--config", required = true, paramLabel = "C", description = "mitosis.yaml")
    Path config;

    @Option(names = "--pair", required = true, paramLabel = "P", description = "the pair (old shard)")
    int pair;

    @Option(names = "--max-age", paramLabel = "D", description = "the oldest PASS that counts, e.g. 10m (default:"
            + " verify.max.age.ms of the config)")
    String maxAge;

    @Option(names = "--store", defaultValue = "kafka", paramLabel = "kafka|files", description = "where verify stored"
            + " the verdict (default: ${DEFAULT-VALUE})")
    VerdictStores.Kind store;

    @Option(names = "--report-dir", paramLabel = "R", description = "with --store files: the report dir (default:"
            + " mitosis-reports/pair-P)")
    Path reportDir;

    Clock clock = Clock.systemUTC();

    @Override
    public Integer call() {
        MitosisConfig cfg = VerdictStores.load(config);
        VerdictStores.pair(cfg, pair);
        Duration limit = maxAge != null ? Durations.parse("--max-age", maxAge) : VerifySettings.from(cfg).maxAge();
        Optional<PairReport> stored;
        try (VerdictStore verdicts = VerdictStores.open(store, cfg, VerdictStores.reportDir(reportDir, pair))) {
            stored = verdicts.latest(pair);
        } catch (IllegalStateException e) {
            // A store that cannot be read proves nothing: UNKNOWN, with the reason.
            new Progress(spec.commandLine().getErr(), "mitosis gate").say("cannot read the verdict store: %s", e.getMessage());
            stored = Optional.empty();
        }
        Gate.Decision decision = Gate.decide(pair, stored, clock.instant(), limit);
        new Progress(spec.commandLine().getErr(), "mitosis gate").say("pair %d: %s — %s", pair, decision.verdict(),
                decision.reason());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("pair", pair);
        out.put("verdict", decision.verdict());
        out.put("reason", decision.reason());
        out.put("storedVerdict", decision.storedVerdict());
        out.put("ageMs", decision.ageMs());
        out.put("maxAgeMs", decision.maxAgeMs());
        if (decision.report() != null) {
            out.put("finishedAt", decision.report().finishedAt());
            out.put("gtidA", decision.report().gtidA());
            out.put("gtidA0", decision.report().gtidA0());
            out.put("coverage", decision.report().totals());
        }
        JsonOut.print(spec.commandLine().getOut(), out);
        return VerifyCommand.exitCode(decision.verdict());
    }
}
