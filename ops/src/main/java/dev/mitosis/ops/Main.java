package dev.mitosis.ops;

import dev.mitosis.connectors.config.ConfigException;
import dev.mitosis.connectors.config.ConfigProblem;
import dev.mitosis.ops.cli.ExitCodes;
import dev.mitosis.ops.cli.OperatorException;
import dev.mitosis.ops.capture.CaptureCommand;
import dev.mitosis.ops.config.ConfigCommand;
import dev.mitosis.ops.connect.ConnectConfigCommand;
import dev.mitosis.ops.daemon.DaemonCommand;
import dev.mitosis.ops.demo.DemoCommand;
import dev.mitosis.ops.flip.FlipCommand;
import dev.mitosis.ops.prove.ProveCommand;
import dev.mitosis.ops.purge.PurgeCommand;
import dev.mitosis.ops.verify.GateCommand;
import dev.mitosis.ops.verify.VerifyCommand;
import dev.mitosis.ops.pair.PairCommand;
import dev.mitosis.ops.sandbox.SandboxCommand;
import dev.mitosis.ops.split.SplitCommand;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The one {@code mitosis} command. Only this class calls {@link System#exit}; everything else returns exit codes
 * (see {@link ExitCodes}) or throws {@link OperatorException} with one.
 */
@Command(name = "mitosis",
        mixinStandardHelpOptions = true,
        versionProvider = MitosisVersion.class,
        description = "Splits a uid-sharded MariaDB fleet from n to 2n shards while the service stays online,"
                + " and proves every step: capture, verify, flip, cut, purge, prove.",
        subcommands = {SandboxCommand.class, ConfigCommand.class, CaptureCommand.class, VerifyCommand.class, GateCommand.class,
            PairCommand.class, FlipCommand.class, PurgeCommand.class, ProveCommand.class, SplitCommand.class,
            DemoCommand.class, DaemonCommand.class, ConnectConfigCommand.class, CommandLine.HelpCommand.class},
        footer = {
            "",
            "Exit codes: 0 pass/done, 1 definite failure, 2 usage or config error, 3 inconclusive,"
                + " 130/143 interrupted after a checkpoint. Summaries: one JSON object on stdout; logs and progress"
                + " on stderr.",
        })
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs one command line and returns its exit code; stdout for summaries, stderr for everything else. */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExitCodeExceptionMapper(e -> e instanceof OperatorException o ? o.exitCode()
                : e instanceof CommandLine.ParameterException || e instanceof ConfigException ? ExitCodes.USAGE
                : ExitCodes.FAILED);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof OperatorException o) {
                err.println("mitosis: " + o.getMessage());
                return o.exitCode();
            }
            if (e instanceof ConfigException c) {
                err.println("mitosis: config " + c.source() + " has " + c.problems().size() + " problem(s):");
                for (ConfigProblem problem : c.problems()) {
                    err.println("  " + problem);
                }
                return ExitCodes.USAGE;
            }
            err.println("mitosis: " + commandLine.getCommandName() + " failed: " + e);
            e.printStackTrace(err);
            return ExitCodes.FAILED;
        });
        return cli.execute(args);
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required (see mitosis --help)");
    }
}
