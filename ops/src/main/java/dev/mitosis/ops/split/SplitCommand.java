package dev.mitosis.ops.split;

import dev.mitosis.connectors.topology.MitosisConfig;
import dev.mitosis.connectors.topology.MitosisConfigLoader;
import dev.mitosis.ops.cli.ExitCodes;
import dev.mitosis.ops.cli.JsonOut;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mitosis split status}: where every old shard stands in the runbook, and what to run next. */
@Command(name = "split",
        mixinStandardHelpOptions = true,
        description = "The split as a whole: where every old shard stands in the runbook.",
        subcommands = CommandLine.HelpCommand.class)
public final class SplitCommand {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Command(name = "status",
            mixinStandardHelpOptions = true,
            description = {
                "For each old shard: verified (stored verdict), flipped (published shard map), cut (no replication"
                    + " between A and A0), and for each of its new shards: re-paired (a healthy link from a new"
                    + " partner), purging (%% from the purge checkpoints and the residue still there), proven; then"
                    + " the next command to run. Read only.",
                "A table on stderr, one JSON object on stdout. Exit 0 when every piece of evidence could be read,"
                    + " 3 when some could not (shown as unknown).",
            },
            footer = {"", "Example:", "  mitosis split status --config sandbox/mitosis.yaml"})
    int status(@Option(names = "--config", required = true, paramLabel = "C") Path config) {
        MitosisConfig loaded = MitosisConfigLoader.withSystemEnvironment().load(config);
        SplitStatus.Report report = new SplitStatus(loaded, new FleetEvidence(loaded), config).read();
        print(spec.commandLine().getErr(), report);
        JsonOut.print(spec.commandLine().getOut(), report);
        return anyUnknown(report) ? ExitCodes.INCONCLUSIVE : ExitCodes.OK;
    }

    /** Proof results are not stored yet, so "proven" alone never makes the status inconclusive. */
    private static boolean anyUnknown(SplitStatus.Report report) {
        return report.shards().stream().anyMatch(s -> !known(s.verified()) || !known(s.flipped()) || !known(s.cut())
                || s.newShards().stream().anyMatch(n -> !known(n.repaired()) || !known(n.purged())));
    }

    private static boolean known(SplitStatus.Check check) {
        return !SplitStatus.Check.UNKNOWN.equals(check.state());
    }

    private static void print(PrintWriter err, SplitStatus.Report r) {
        err.printf(Locale.ROOT, "split %d -> %d shards; routing: %s%n", r.oldShards(), r.newShards(),
                r.epoch() == null ? "no map published" : "epoch " + r.epoch() + ", uid % " + r.modulus());
        err.println("old  stage        verified  flipped  cut      new  server       re-paired  purging           proven");
        for (SplitStatus.OldShard s : r.shards()) {
            boolean first = true;
            for (SplitStatus.NewShard n : s.newShards()) {
                String purging = n.purgePercent() == null ? n.purged().state()
                        : String.format(Locale.ROOT, "%s %5.1f%%", n.purged().state(), n.purgePercent());
                err.printf(Locale.ROOT, "%-4s %-12s %-9s %-8s %-8s %-4d %-12s %-10s %-17s %s%n",
                        first ? String.valueOf(s.shard()) : "", first ? s.stage() : "",
                        first ? s.verified().state() : "", first ? s.flipped().state() : "",
                        first ? s.cut().state() : "", n.shard(), n.server(), n.repaired().state(), purging,
                        n.proven().state());
                first = false;
            }
            if (s.next() != null) {
                err.println("     next: " + s.next());
            }
        }
        err.println(r.complete() ? "every old shard is split and proven" : "next: " + r.next());
        err.flush();
    }
}
