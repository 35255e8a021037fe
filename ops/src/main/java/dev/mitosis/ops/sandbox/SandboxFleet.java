package dev.mitosis.ops.sandbox;

import dev.mitosis.testkit.DualMasterPair;
import dev.mitosis.testkit.KafkaBroker;
import dev.mitosis.testkit.MariaDbServer;
import dev.mitosis.testkit.Ports;
import java.nio.file.Path;

/** The processes a manifest describes, as testkit objects bound to the sandbox's dirs and ports. */
public final class SandboxFleet {

    private SandboxFleet() {
    }

    static KafkaBroker broker(SandboxLayout layout, SandboxManifest.Kafka kafka) {
        return KafkaBroker.inDir(layout.kafka(), kafka.port(), kafka.controllerPort(), true);
    }

    /** Builders for A and A0 of a manifest pair: its names, ports, ids, password, and detached from this JVM. */
    static MariaDbServer.Builder[] builders(SandboxLayout layout, SandboxManifest.Pair pair) {
        MariaDbServer.Builder[] builders = DualMasterPair.builders(layout.servers(), "p" + pair.pair(), pair.pair());
        for (int side = 0; side < 2; side++) {
            SandboxManifest.Server server = pair.servers().get(side);
            builders[side].port(server.port()).adminPassword(server.password()).detached(true);
        }
        return builders;
    }

    static MariaDbServer server(SandboxLayout layout, SandboxManifest.Pair pair, int side) {
        return builders(layout, pair)[side].build();
    }

    /** Server {@code side} (0 = A, 1 = A0) of pair {@code pair} of the sandbox in {@code dir}, running or not. */
    public static MariaDbServer server(Path dir, int pair, int side) {
        SandboxLayout layout = new SandboxLayout(dir);
        return server(layout, SandboxManifest.read(layout.dir()).pairs().get(pair), side);
    }

    /**
     * A new HA partner for server {@code side} of pair {@code pair} after the cut: named {@code <server>-ha}, under
     * the sandbox's servers dir (so {@code sandbox down} stops it too), on a free port, with the sandbox's password,
     * a server id and GTID domain of its own, and the auto-increment offset its new partner does not use.
     */
    public static MariaDbServer.Builder partner(Path dir, int pair, int side) {
        SandboxLayout layout = new SandboxLayout(dir);
        SandboxManifest.Server keep = SandboxManifest.read(layout.dir()).pairs().get(pair).servers().get(side);
        int id = 100 * (pair + 1) + 3 + side;
        return MariaDbServer.builder(keep.name() + "-ha").baseDir(layout.servers()).serverId(id).gtidDomainId(id)
                .option("--auto-increment-increment=2").option("--auto-increment-offset=" + (side == 0 ? 2 : 1))
                .port(Ports.free()).adminPassword(keep.password()).detached(true);
    }
}
