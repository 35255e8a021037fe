package dev.mitosis.connectors.topology;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Where the change stream lives.
 *
 * @param bootstrapServers the brokers to connect to first
 * @param topicPrefix      the prefix of every topic mitosis creates
 */
public record KafkaSettings(List<HostPort> bootstrapServers, String topicPrefix) {

    /** Copies the broker list, which must not be empty. */
    public KafkaSettings {
        bootstrapServers = List.copyOf(bootstrapServers);
        if (bootstrapServers.isEmpty()) {
            throw new IllegalArgumentException("no bootstrap servers");
        }
    }

    /** The brokers as Kafka's {@code bootstrap.servers} property wants them: {@code host:port,host:port}. */
    public String bootstrapServersProperty() {
        return bootstrapServers.stream().map(HostPort::toString).collect(Collectors.joining(","));
    }
}
