package dev.mitosis.ops.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

/** Writes {@code D/mitosis.yaml}: the sandbox's topology in the config format every mitosis command reads. */
final class SandboxConfig {

    private SandboxConfig() {
    }

    static void write(SandboxLayout layout, SandboxManifest manifest) {
        int n = manifest.pairs().size();
        StringBuilder yaml = new StringBuilder()
                .append("# mitosis config of the sandbox in ").append(layout.dir()).append(", written by `mitosis sandbox up`.\n")
                .append("# Every key is documented by `mitosis config docs`.\n")
                .append("split:\n")
                .append("  old.shards: ").append(n).append('\n')
                .append("  new.shards: ").append(2 * n).append('\n')
                .append("schemas: [").append(manifest.schema()).append("]\n")
                .append("credentials:\n")
                .append("  user: ").append(manifest.servers().get(0).user()).append('\n')
                .append("  password.file: ").append(layout.passwordFile()).append('\n')
                .append("kafka:\n")
                .append("  bootstrap.servers: ").append(manifest.kafka().bootstrap()).append('\n')
                .append("pairs:\n");
        for (SandboxManifest.Pair pair : manifest.pairs()) {
            yaml.append("  - pair: ").append(pair.pair()).append('\n').append("    servers:\n");
            for (SandboxManifest.Server server : pair.servers()) {
                yaml.append("      - name: ").append(server.name()).append('\n')
                        .append("        host: ").append(server.host()).append('\n')
                        .append("        port: ").append(server.port()).append('\n');
            }
        }
        yaml.append("tables:\n")
                .append("  ").append(SampleSchema.SCHEMA).append('.').append(SampleSchema.SHARDED_TABLE).append(":\n")
                .append("    shard.key: ").append(SampleSchema.SHARD_KEY).append('\n')
                .append("  ").append(SampleSchema.SCHEMA).append('.').append(SampleSchema.BROADCAST_TABLE).append(":\n")
                .append("    broadcast: true\n")
                // A demo flips and purges within minutes: a 10 s quiet window instead of 10 min.
                .append("purge:\n")
                .append("  quiet.window.ms: 10000\n");
        try {
            Files.writeString(layout.config(), yaml.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + layout.config(), e);
        }
    }
}
