package dev.mitosis.ops.flip;

import dev.mitosis.connectors.kafka.KafkaClients;
import dev.mitosis.connectors.routing.RoutingAck;
import dev.mitosis.connectors.routing.RoutingStore;
import dev.mitosis.connectors.routing.ShardMapVersion;
import dev.mitosis.connectors.topology.MitosisConfig;
import dev.mitosis.connectors.topology.MitosisConfigLoader;
import dev.mitosis.ops.cli.ExitCodes;
import dev.mitosis.ops.cli.JsonOut;
import dev.mitosis.ops.cli.OperatorException;
import dev.mitosis.ops.cli.Progress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mitosis flip --to N} and {@code mitosis flip status}: publish the routing, and see who follows it. */
@Command(name = "flip",
        mixinStandardHelpOptions = true,
        description = {
            "Publish the shard map clients route by (a compacted Kafka topic; ShardRouter clients switch without a"
                + " restart and acknowledge the epoch they applied).",
            "--to 2n splits: only if every pair's gate is a fresh PASS, unless --force --reason \"...\" (recorded)."
                + " --to n rolls back: refused once a purge started. Without a published map, --to n publishes the"
                + " current routing as the first epoch.",
        },
        subcommands = {FlipCommand.Status.class, CommandLine.HelpCommand.class},
        footer = {"", "Examples:", "  mitosis flip --config sandbox/mitosis.yaml --to 4",
            "  mitosis flip --config sandbox/mitosis.yaml --to 2      # roll back, before any purge",
            "  mitosis flip status --config sandbox/mitosis.yaml"})
public final class FlipCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--config", paramLabel = "C", description = "the mitosis config")
    Path config;

    @Option(names = "--to", paramLabel = "N", description = "2n to split, n to roll back")
    Integer to;

    @Option(names = "--force", description = "publish although a gate is not a fresh PASS (never past a started purge)")
    boolean force;

    @Option(names = "--reason", paramLabel = "TEXT", description = "why; recorded with the flip, required with --force")
    String reason;

    /** Set by the daemon or tests; by default the stored verdicts and the purge checkpoints are read. */
    FlipPreconditions preconditions = new FleetPreconditions();

    @Override
    public Integer call() {
        if (config == null || to == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "flip needs --config C and --to N"
                    + " (or the subcommand: flip status --config C)");
        }
        MitosisConfig loaded = MitosisConfigLoader.withSystemEnvironment().load(config);
        Progress progress = new Progress(spec.commandLine().getErr(), "mitosis flip");
        Flip.Result result = new Flip(loaded, new RoutingStore(new KafkaClients(loaded.kafka())), preconditions,
                progress, Clock.systemUTC()).run(to, force, reason);
        JsonOut.print(spec.commandLine().getOut(), result);
        return ExitCodes.OK;
    }

    /** {@code mitosis flip status}: the published map, and the epoch every client applied. */
    @Command(name = "status",
            mixinStandardHelpOptions = true,
            description = "The published shard map and, for every router client seen within the window, the epoch it"
                    + " applied. Exit 0 when every such client is on the newest epoch, 1 when one lags, 3 when no map"
                    + " was published.",
            footer = {"", "Example:", "  mitosis flip status --config sandbox/mitosis.yaml --window-s 60"})
    static final class Status implements Callable<Integer> {

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--config", required = true, paramLabel = "C")
        Path config;

        @Option(names = "--window-s", defaultValue = "60", paramLabel = "S",
                description = "clients not heard from for longer are listed as gone (default: ${DEFAULT-VALUE})")
        long windowSeconds;

        @Override
        public Integer call() {
            if (windowSeconds < 1) {
                throw OperatorException.usage("--window-s " + windowSeconds + " is out of range, expected >= 1");
            }
            MitosisConfig loaded = MitosisConfigLoader.withSystemEnvironment().load(config);
            RoutingStore store = new RoutingStore(new KafkaClients(loaded.kafka()));
            store.ensureTopics();
            Optional<ShardMapVersion> latest = store.latest();
            Instant since = Instant.now().minus(Duration.ofSeconds(windowSeconds));
            List<Map<String, Object>> clients = new ArrayList<>();
            boolean allCurrent = true;
            Progress progress = new Progress(spec.commandLine().getErr(), "mitosis flip status");
            for (RoutingAck ack : store.acks().values()) {
                boolean live = Instant.parse(ack.seenAt()).isAfter(since);
                boolean current = latest.isPresent() && ack.epoch() == latest.get().epoch();
                allCurrent &= !live || current;
                Map<String, Object> client = new LinkedHashMap<>();
                client.put("clientId", ack.clientId());
                client.put("epoch", ack.epoch());
                client.put("appliedAt", ack.appliedAt());
                client.put("seenAt", ack.seenAt());
                client.put("host", ack.host());
                client.put("state", !live ? "gone" : current ? "current" : "LAGGING");
                clients.add(client);
                progress.say("%-24s epoch %d since %s (%s)", ack.clientId(), ack.epoch(), ack.appliedAt(), client.get("state"));
            }
            Map<String, Object> report = new LinkedHashMap<>();
            report.put("map", latest.orElse(null));
            report.put("clients", clients);
            report.put("allLiveClientsCurrent", allCurrent);
            JsonOut.print(spec.commandLine().getOut(), report);
            return latest.isEmpty() ? ExitCodes.INCONCLUSIVE : allCurrent ? ExitCodes.OK : ExitCodes.FAILED;
        }
    }
}
