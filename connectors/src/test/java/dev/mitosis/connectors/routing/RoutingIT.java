package dev.mitosis.connectors.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.mitosis.connectors.kafka.KafkaClients;
import dev.mitosis.connectors.topology.HostPort;
import dev.mitosis.connectors.topology.KafkaSettings;
import dev.mitosis.testkit.ItEnvironment;
import dev.mitosis.testkit.KafkaBroker;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Three router clients on a real broker follow a flip, acknowledge it, and never split a write across epochs. */
class RoutingIT {

    private static KafkaBroker broker;
    private static KafkaClients clients;

    @BeforeAll
    static void startBroker() {
        broker = KafkaBroker.inDir(ItEnvironment.dirFor(RoutingIT.class).resolve("kafka"),
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
    void clientsFollowTheFlipAndAWriteInFlightHoldsItsClientOnTheOldEpoch() throws Exception {
        RoutingStore store = new RoutingStore(clients);
        store.ensureTopics();
        store.publish(map(1, 2), 0);
        List<ShardRouter> routers = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                routers.add(ShardRouter.start(clients, "svc-" + i, Duration.ofSeconds(30)));
            }
            routers.forEach(r -> assertThat(r.current()).hasValueSatisfying(m -> assertThat(m.epoch()).isEqualTo(1)));
            await().atMost(Duration.ofSeconds(10)).until(() -> store.acks().size() == 3);

            try (RouteLease inFlight = routers.get(0).lease(3)) {
                assertThat(inFlight.route().shard()).isEqualTo(1);
                Instant published = Instant.now();
                store.publish(map(2, 4), 1);

                await().atMost(Duration.ofSeconds(10)).until(() -> ackEpoch(store, "svc-1") == 2 && ackEpoch(store, "svc-2") == 2);
                System.out.println("RoutingIT: clients acknowledged epoch 2 within "
                        + Duration.between(published, Instant.parse(store.acks().get("svc-2").appliedAt())).toMillis() + " ms");
                assertThat(routers.get(1).route(3).shard()).isEqualTo(3);
                // svc-0 still has a write under epoch 1 in flight: it neither switched nor acknowledged.
                assertThat(routers.get(0).current().orElseThrow().epoch()).isEqualTo(1);
                assertThat(ackEpoch(store, "svc-0")).isEqualTo(1);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> ackEpoch(store, "svc-0") == 2);
            assertThat(routers.get(0).route(3).shard()).isEqualTo(3);
            assertThat(routers.get(0).route(-1).endpoint().server()).isEqualTo("s3");

            assertThatThrownBy(() -> store.publish(map(3, 2), 1))
                    .hasMessageContaining("moved to epoch 2");
            assertThat(store.latest()).hasValueSatisfying(m -> assertThat(m.epoch()).isEqualTo(2));
        } finally {
            routers.forEach(ShardRouter::close);
        }
    }

    @Test
    void aRouterWithoutAPublishedMapRefusesToStart() {
        KafkaClients empty = new KafkaClients(new KafkaSettings(List.of(HostPort.parse(broker.bootstrapServers())), "nomap"));

        assertThatThrownBy(() -> ShardRouter.start(empty, "svc-x", Duration.ofSeconds(2)))
                .hasMessageContaining("no shard map").hasMessageContaining("mitosis flip");
    }

    private static long ackEpoch(RoutingStore store, String client) {
        RoutingAck ack = store.acks().get(client);
        return ack == null ? 0 : ack.epoch();
    }

    private static ShardMapVersion map(long epoch, int modulus) {
        List<ShardEndpoint> shards = new ArrayList<>();
        for (int i = 0; i < modulus; i++) {
            shards.add(new ShardEndpoint(i, "s" + i, "127.0.0.1", 30000 + i));
        }
        return new ShardMapVersion(epoch, modulus, shards, Instant.now().toString(), "test", false, List.of());
    }
}
