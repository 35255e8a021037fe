package dev.mitosis.ops.sandbox;

import dev.mitosis.testkit.DualMasterPair;
import dev.mitosis.testkit.KafkaBroker;
import dev.mitosis.testkit.MariaDbServer;

/** The processes a manifest describes, as testkit objects bound to the sandbox's dirs and ports. */
final class SandboxFleet {

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
}
