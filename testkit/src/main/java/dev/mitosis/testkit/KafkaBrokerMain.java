package dev.mitosis.testkit;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The child JVM of a {@link KafkaBroker}: formats the KRaft log dir on first start (the cluster id comes from a file
 * beside the properties), then runs the broker+controller until SIGTERM, which Kafka handles as a controlled
 * shutdown.
 */
public final class KafkaBrokerMain {

    private KafkaBrokerMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: KafkaBrokerMain <server.properties>");
            System.exit(2);
        }
        Path properties = Path.of(args[0]);
        String clusterId = Files.readString(properties.resolveSibling("cluster.id"), StandardCharsets.UTF_8).trim();
        int formatted = kafka.tools.StorageTool.execute(
                new String[] {"format", "-t", clusterId, "-c", properties.toString(), "--ignore-formatted"}, System.out);
        if (formatted != 0) {
            System.err.println("kafka storage format failed with " + formatted);
            System.exit(1);
        }
        kafka.Kafka.main(new String[] {properties.toString()});
    }
}
