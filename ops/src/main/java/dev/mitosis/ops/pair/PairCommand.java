package dev.mitosis.ops.pair;

import dev.mitosis.connectors.mariadb.ReplicationLink;
import dev.mitosis.connectors.mariadb.ReplicationLinks;
import dev.mitosis.connectors.mariadb.ServerConnector;
import dev.mitosis.connectors.topology.MitosisConfig;
import dev.mitosis.connectors.topology.MitosisConfigLoader;
import dev.mitosis.connectors.topology.Pair;
import dev.mitosis.connectors.topology.Server;
import dev.mitosis.ops.cli.ExitCodes;
import dev.mitosis.ops.cli.JsonOut;
import dev.mitosis.ops.cli.OperatorException;
import dev.mitosis.ops.cli.Progress;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mitosis pair status|cut}: an old pair's replication, and cutting it after the flip. */
@Command(name = "pair",
        mixinStandardHelpOptions = true,
        description = "An old shard's dual-master pair: its replication links, and the cut that follows the flip.",
        subcommands = CommandLine.HelpCommand.class)
public final class PairCommand {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Command(name = "status",
            mixinStandardHelpOptions = true,
            description = "Replication into each server of the pair. Exit 0 when both directions run without error,"
                    + " 1 otherwise (also when the pair was cut).",
            footer = {"", "Example:", "  mitosis pair status --config sandbox/mitosis.yaml --pair 0"})
    int status(@Option(names = "--config", required = true, paramLabel = "C") Path config,
               @Option(names = "--pair", required = true, paramLabel = "P") int pairNumber) {
        Pair pair = pair(config, pairNumber);
        Progress progress = new Progress(spec.commandLine().getErr(), "mitosis pair status");
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("pair", pair.number());
        boolean healthy = true;
        List<Map<String, Object>> servers = new ArrayList<>();
        for (Server server : List.of(pair.a(), pair.a0())) {
            List<ReplicationLink> links = links(server);
            healthy &= links.size() == 1 && links.get(0).healthy();
            progress.say("%s %s: %s", server.role(), server.name(),
                    links.isEmpty() ? "no replication" : links.stream().map(ReplicationLink::describe).toList());
            servers.add(Map.of("name", server.name(), "role", server.role().name(),
                    "links", links.stream().map(ReplicationLink::describe).toList()));
        }
        report.put("servers", servers);
        report.put("replicatingBothWays", healthy);
        JsonOut.print(spec.commandLine().getOut(), report);
        return healthy ? ExitCodes.OK : ExitCodes.FAILED;
    }

    @Command(name = "cut",
            mixinStandardHelpOptions = true,
            description = {
                "After the flip: wait until each server of the pair has applied the other's writes, then stop"
                    + " replication both ways and forget it (STOP ALL SLAVES, RESET SLAVE ALL). Each server is then"
                    + " its own new shard. Refuses, cutting nothing, if the catch-up does not finish in time.",
                "Rollback: link the two again with CHANGE MASTER TO ... MASTER_USE_GTID=slave_pos on both sides"
                    + " (see the runbook) before any purge started.",
            },
            footer = {"", "Example:", "  mitosis pair cut --config sandbox/mitosis.yaml --pair 0"})
    int cut(@Option(names = "--config", required = true, paramLabel = "C") Path config,
            @Option(names = "--pair", required = true, paramLabel = "P") int pairNumber,
            @Option(names = "--catch-up-timeout-s", defaultValue = "60", paramLabel = "S",
                    description = "how long each server may take to apply the other's writes (default: ${DEFAULT-VALUE})")
            long catchUpSeconds) {
        if (catchUpSeconds < 1) {
            throw OperatorException.usage("--catch-up-timeout-s " + catchUpSeconds + " is out of range, expected >= 1");
        }
        PairCut.Result result = new PairCut(pair(config, pairNumber),
                new Progress(spec.commandLine().getErr(), "mitosis pair cut")).run(Duration.ofSeconds(catchUpSeconds));
        JsonOut.print(spec.commandLine().getOut(), result);
        return ExitCodes.OK;
    }

    private static Pair pair(Path config, int number) {
        MitosisConfig loaded = MitosisConfigLoader.withSystemEnvironment().load(config);
        int pairs = loaded.topology().pairs().size();
        if (number < 0 || number >= pairs) {
            throw OperatorException.usage("--pair " + number + " is out of range, expected 0.." + (pairs - 1));
        }
        return loaded.topology().pair(number);
    }

    private static List<ReplicationLink> links(Server server) {
        try (Connection c = new ServerConnector(server).open()) {
            return ReplicationLinks.of(c);
        } catch (SQLException e) {
            throw OperatorException.failed(server.name() + ": " + e.getMessage());
        }
    }
}
