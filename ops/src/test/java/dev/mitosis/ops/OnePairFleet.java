package dev.mitosis.ops;

import dev.mitosis.testkit.DualMasterPair;
import dev.mitosis.testkit.MariaDbServer;

/**
 * The opening of a mitosis.yaml for the fleet most ITs run on: one pair of sandbox servers split 1 → 2, schema
 * {@code app}, the admin user with its password in the file {@code password} beside the config. Each test adds its
 * own sections after it.
 */
public final class OnePairFleet {

    private OnePairFleet() {
    }

    /**
     * @param topicPrefix  {@code kafka.topic.prefix}, or null for the default
     * @param serverPrefix the servers are named {@code <serverPrefix>-a} and {@code <serverPrefix>-a0}
     * @return the YAML lines, joined by line breaks, without a final one
     */
    public static String yaml(DualMasterPair pair, String bootstrapServers, String topicPrefix, String serverPrefix) {
        return String.join("\n",
                "split: {old.shards: 1, new.shards: 2}",
                "schemas: [app]",
                "credentials: {user: " + MariaDbServer.ADMIN_USER + ", password.file: password}",
                "kafka: {bootstrap.servers: '" + bootstrapServers + "'"
                        + (topicPrefix == null ? "" : ", topic.prefix: " + topicPrefix) + "}",
                "pairs:",
                "  - pair: 0",
                "    servers:",
                "      - {name: " + serverPrefix + "-a, host: 127.0.0.1, port: " + pair.a().port() + "}",
                "      - {name: " + serverPrefix + "-a0, host: 127.0.0.1, port: " + pair.a0().port() + "}");
    }
}
