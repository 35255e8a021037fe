package dev.mitosis.ops.sandbox;

import dev.mitosis.ops.cli.ExitCodes;
import dev.mitosis.ops.cli.JsonOut;
import dev.mitosis.ops.cli.OperatorException;
import dev.mitosis.ops.cli.Progress;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mitosis sandbox up|status|down}: a local fleet of real servers to try mitosis on. */
@Command(name = "sandbox",
        mixinStandardHelpOptions = true,
        description = "A local fleet on 127.0.0.1: N dual-master MariaDB pairs (GTID, both ways) and one Kafka broker,"
                + " started from the bundled MariaDB 11.4 binaries (or MITOSIS_MARIADB_HOME) and Kafka's own jars.",
        subcommands = CommandLine.HelpCommand.class)
public final class SandboxCommand {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Command(name = "up",
            mixinStandardHelpOptions = true,
            description = {
                "Start N pairs (2N servers) and a broker, create schema `app` (table accounts, sharded by uid, and"
                    + " the broadcast table countries), load R rows on pair `uid %% N`, and write D/sandbox.json and"
                    + " D/mitosis.yaml. The processes keep running after the command ends.",
                "On a dir whose sandbox was stopped, starts the same sandbox again with its data.",
            },
            footer = {"", "Example:", "  mitosis sandbox up --pairs 2 --rows 10000 --dir sandbox"})
    int up(@Option(names = "--pairs", required = true, paramLabel = "N", description = "dual-master pairs (old shards), 1..16") int pairs,
           @Option(names = "--rows", defaultValue = "10000", paramLabel = "R", description = "sample rows in app.accounts, all pairs together (default: ${DEFAULT-VALUE})") long rows,
           @Option(names = "--seed", defaultValue = "42", paramLabel = "S", description = "seed of the sample data (default: ${DEFAULT-VALUE})") long seed,
           @Option(names = "--dir", required = true, paramLabel = "D", description = "the sandbox's dir: data, logs, pid files, sandbox.json") Path dir) {
        if (pairs < 1 || pairs > 16) {
            throw OperatorException.usage("--pairs " + pairs + " is out of range, expected 1..16");
        }
        if (rows < 0 || rows > 100_000_000L) {
            throw OperatorException.usage("--rows " + rows + " is out of range, expected 0..100000000");
        }
        SandboxUp.Result result = new SandboxUp(dir, progress("sandbox up")).run(pairs, rows, seed);
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("sandbox", result.manifest());
        summary.put("restarted", result.restarted());
        summary.put("seconds", result.seconds());
        JsonOut.print(spec.commandLine().getOut(), summary);
        return ExitCodes.OK;
    }

    @Command(name = "status",
            mixinStandardHelpOptions = true,
            description = "What runs in the sandbox, and the replication health of every pair. Exit 0 when everything"
                    + " runs and replicates both ways, 1 otherwise.",
            footer = {"", "Example:", "  mitosis sandbox status --dir sandbox"})
    int status(@Option(names = "--dir", required = true, paramLabel = "D") Path dir) {
        SandboxStatus.Report report = SandboxStatus.of(dir);
        Progress progress = progress("sandbox status");
        progress.say("kafka %s: %s", report.kafka().bootstrap(), report.kafka().running() ? "running, pid " + report.kafka().pid() : "NOT RUNNING");
        for (SandboxStatus.ServerState s : report.servers()) {
            progress.say("pair %d %-2s %-8s port %d: %s %s", s.pair(), s.role(), s.name(), s.port(),
                    s.running() ? (s.reachable() ? "running" : "running, NOT REACHABLE") : "NOT RUNNING",
                    s.replication().isEmpty() ? (s.error() == null ? "no replication" : s.error()) : String.join("; ", s.replication()));
        }
        JsonOut.print(spec.commandLine().getOut(), report);
        return report.healthy() ? ExitCodes.OK : ExitCodes.FAILED;
    }

    @Command(name = "down",
            mixinStandardHelpOptions = true,
            description = "Stop every process `up` started in D (and nothing else), orderly, and free their ports."
                    + " Data stays in D: `up` on the same dir starts it again.",
            footer = {"", "Example:", "  mitosis sandbox down --dir sandbox"})
    int down(@Option(names = "--dir", required = true, paramLabel = "D") Path dir) {
        SandboxDown.Result result = SandboxDown.run(dir, progress("sandbox down"));
        JsonOut.print(spec.commandLine().getOut(), result);
        return result.portsStillInUse().isEmpty() ? ExitCodes.OK : ExitCodes.FAILED;
    }

    private Progress progress(String command) {
        return new Progress(spec.commandLine().getErr(), "mitosis " + command);
    }
}
