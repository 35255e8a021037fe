package dev.mitosis.connectors.capture;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mitosis.connectors.kafka.KafkaClients;
import dev.mitosis.connectors.topology.HostPort;
import dev.mitosis.connectors.topology.KafkaSettings;
import dev.mitosis.testkit.ItEnvironment;
import dev.mitosis.testkit.KafkaBroker;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The status topic on a real broker: the newest record per server wins, across store instances. */
class CaptureStatusStoreIT {

    private static KafkaBroker broker;
    private static KafkaClients clients;

    @BeforeAll
    static void startBroker() {
        broker = KafkaBroker.inDir(ItEnvironment.dirFor(CaptureStatusStoreIT.class).resolve("kafka"),
                ItEnvironment.port(0), ItEnvironment.port(1), false).start();
        clients = new KafkaClients(new KafkaSettings(List.of(HostPort.parse(broker.bootstrapServers())), "it"));
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.stop();
        }
    }

    @Test
    void readersSeeTheNewestStatusOfEveryServer() {
        CaptureStatusStore reader = new CaptureStatusStore(clients, Duration.ofSeconds(30));
        assertThat(reader.latest()).isEmpty();
        Instant t = Instant.parse("2026-11-23T12:00:00Z");
        try (CaptureStatusStore writer = new CaptureStatusStore(clients, Duration.ofSeconds(30))) {
            writer.publish(status("s0a", CaptureState.STARTING, "", t));
            writer.publish(status("s0b", CaptureState.RUNNING, "0-2-9", t));
            writer.publish(status("s0a", CaptureState.RUNNING, "0-1-5", t.plusSeconds(1)));
        }
        assertThat(reader.latest()).containsOnlyKeys("s0a", "s0b");
        assertThat(reader.latest("s0a")).hasValueSatisfying(s -> {
            assertThat(s.state()).isEqualTo(CaptureState.RUNNING);
            assertThat(s.processedGtid()).isEqualTo("0-1-5");
            assertThat(s.publishedAt()).isEqualTo(t.plusSeconds(1));
        });
        assertThat(reader.latest("nobody")).isEmpty();
        assertThat(reader.topic()).isEqualTo("it.capture.health");
    }

    private static CaptureStatus status(String server, CaptureState state, String gtid, Instant at) {
        return new CaptureStatus(server, state, gtid, gtid, 0, 0, null, 0, 0, 0, null, at);
    }
}
