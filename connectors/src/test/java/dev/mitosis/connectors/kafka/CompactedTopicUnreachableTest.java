package dev.mitosis.connectors.kafka;

import dev.mitosis.connectors.topology.HostPort;
import dev.mitosis.connectors.topology.KafkaSettings;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * With no broker at the address, creating a topic fails after the topic's own timeout: the admin client must not
 * hold the caller until its pending call's default timeout (60 s). Capture's status thread creates its topic this
 * way, and its stop (10 s in all) waited for that minute.
 */
class CompactedTopicUnreachableTest {

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Test
    void anUnreachableBrokerFailsTheCreateWithinItsTimeout() throws IOException {
        KafkaClients clients = new KafkaClients(new KafkaSettings(
                List.of(new HostPort("127.0.0.1", closedPort())), "unreachable"));
        CompactedTopic topic = new CompactedTopic(clients, "unreachable.t", Duration.ofSeconds(1));
        long start = System.nanoTime();
        assertThatThrownBy(topic::ensureExists).hasMessageContaining("did not answer within 1000 ms");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }
}
