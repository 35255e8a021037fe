package dev.mitosis.ops.sandbox;

import dev.mitosis.ops.cli.OperatorException;
import dev.mitosis.testkit.KafkaBroker;
import dev.mitosis.testkit.MariaDbServer;
import dev.mitosis.testkit.OwnedProcess;
import dev.mitosis.testkit.ProcessReaper;
import dev.mitosis.testkit.Replication;
import dev.mitosis.testkit.ReplicationStatus;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@code mitosis sandbox status}: what runs in a sandbox dir, and whether every pair replicates both ways. */
public final class SandboxStatus {

    /** One server: running (by pid file and command line), reachable over SQL, its replication link. */
    public record ServerState(String name, int pair, String role, int port, Long pid, long rssKib, boolean running,
                              boolean reachable, String gtidBinlogPos, List<String> replication, boolean replicating,
                              String error) {
    }

    public record KafkaState(String bootstrap, Long pid, long rssKib, boolean running) {
    }

    public record Report(String dir, String state, boolean healthy, KafkaState kafka, List<ServerState> servers) {
    }

    private SandboxStatus() {
    }

    public static Report of(Path dir) {
        SandboxLayout layout = new SandboxLayout(dir);
        if (!SandboxManifest.existsIn(layout.dir())) {
            throw OperatorException.usage("no sandbox in " + layout.dir() + " (no " + SandboxManifest.FILE + ");"
                    + " start one with `mitosis sandbox up --pairs N --dir " + dir + "`");
        }
        SandboxManifest manifest = SandboxManifest.read(layout.dir());
        KafkaBroker broker = SandboxFleet.broker(layout, manifest.kafka());
        Optional<OwnedProcess> brokerProcess = broker.process();
        KafkaState kafka = new KafkaState(manifest.kafka().bootstrap(), brokerProcess.map(OwnedProcess::pid).orElse(null),
                brokerProcess.map(OwnedProcess::rssKib).orElse(0L), brokerProcess.isPresent());
        List<ServerState> servers = new ArrayList<>();
        for (SandboxManifest.Pair pair : manifest.pairs()) {
            for (int side = 0; side < 2; side++) {
                servers.add(inspect(SandboxFleet.server(layout, pair, side), pair.pair(), pair.servers().get(side).role()));
            }
        }
        boolean healthy = kafka.running() && servers.stream().allMatch(s -> s.running() && s.reachable() && s.replicating());
        return new Report(layout.dir().toString(), manifest.state(), healthy, kafka, servers);
    }

    /** Processes recorded under the sandbox dir that still run (identity-checked). */
    static List<OwnedProcess> runningProcesses(SandboxLayout layout) {
        return ProcessReaper.findUnder(layout.dir());
    }

    private static ServerState inspect(MariaDbServer server, int pair, String role) {
        Optional<OwnedProcess> process = server.process();
        if (process.isEmpty()) {
            return new ServerState(server.name(), pair, role, server.port(), null, 0, false, false, null, List.of(), false, "not running");
        }
        try {
            List<ReplicationStatus> links = Replication.status(server);
            return new ServerState(server.name(), pair, role, server.port(), process.get().pid(), process.get().rssKib(),
                    true, true, server.gtidBinlogPos(), links.stream().map(ReplicationStatus::describe).toList(),
                    links.size() == 1 && links.get(0).healthy(), null);
        } catch (RuntimeException e) {
            return new ServerState(server.name(), pair, role, server.port(), process.get().pid(), process.get().rssKib(),
                    true, false, null, List.of(), false, e.getMessage());
        }
    }

}
