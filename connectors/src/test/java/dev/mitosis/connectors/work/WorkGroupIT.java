package dev.mitosis.connectors.work;

import dev.mitosis.connectors.kafka.KafkaClients;
import dev.mitosis.connectors.topology.HostPort;
import dev.mitosis.connectors.topology.KafkaSettings;
import dev.mitosis.testkit.ItEnvironment;
import dev.mitosis.testkit.KafkaBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two members of one work group on a real broker: they split the partitions with no overlap and nothing left out,
 * a member that leaves hands its partitions to the other, and a partition is revoked from its old owner before
 * the new one is told it owns it.
 */
class WorkGroupIT {

    private static KafkaBroker broker;
    private static KafkaClients clients;

    @BeforeAll
    static void startBroker() {
        broker = KafkaBroker.inDir(ItEnvironment.dirFor(WorkGroupIT.class).resolve("kafka"), ItEnvironment.port(0),
                ItEnvironment.port(1), false).start();
        clients = new KafkaClients(new KafkaSettings(List.of(HostPort.parse(broker.bootstrapServers())), "it"));
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.stop();
        }
    }

    /** Records every callback, in order, across members. */
    private static final class Recorder implements WorkGroup.Listener {
        private final String member;
        private final List<String> log;

        Recorder(String member, List<String> log) {
            this.member = member;
            this.log = log;
        }

        @Override
        public void revoked(Set<Integer> partitions) {
            partitions.forEach(p -> log.add(member + " -" + p));
        }

        @Override
        public void assigned(Set<Integer> partitions) {
            partitions.forEach(p -> log.add(member + " +" + p));
        }
    }

    @Test
    void theFirstKeySplitStoredForATableUnitIsTheOneEveryoneReads() {
        KeySplitStore store = new KeySplitStore(clients, Duration.ofSeconds(30));
        store.ensureExists();
        assertThat(store.read("purge/2/app.users")).isEmpty();
        KeySplit split = new KeySplit("app.users", List.of("uid", "id"), 3,
                List.of(List.of("100", "b64:AAE="), List.of("200", "x")), "s2", 1234L);
        store.publish("purge/2/app.users", split);
        store.publish("verify/0/app.users", new KeySplit("app.users", List.of("uid"), 1, List.of(), "a", 1L));
        assertThat(store.read("purge/2/app.users")).contains(split);
        assertThat(store.read("verify/0/app.users").orElseThrow().parts()).isEqualTo(1);

        // Two owners racing: the first split stored stays everybody's, whatever comes after it.
        KeySplit later = new KeySplit("app.users", List.of("uid", "id"), 3,
                List.of(List.of("150", "x"), List.of("250", "y")), "s2", 5678L);
        store.publish("purge/2/app.users", later);
        assertThat(store.read("purge/2/app.users")).contains(split);
        assertThat(store.read("purge/2/app.users", 3)).contains(split);
        KeySplit inFour = new KeySplit("app.users", List.of("uid", "id"), 4, List.of(), "s2", 9L);
        store.publish("purge/2/app.users", inFour);
        assertThat(store.read("purge/2/app.users", 4)).contains(inFour);
        assertThat(store.read("purge/2/app.users", 5)).isEmpty();
    }

    @Test
    void membersSplitThePartitionsAndALeavingMemberHandsItsShareOver() throws Exception {
        List<String> log = new CopyOnWriteArrayList<>();
        Set<Integer> all = IntStream.range(0, 6).boxed().collect(Collectors.toSet());
        try (WorkGroup one = WorkGroup.join(clients, "g", 6, "one", new Recorder("one", log))) {
            assertThat(one.awaitFirstAssignment(Duration.ofSeconds(60))).isTrue();
            await().atMost(Duration.ofSeconds(60)).until(() -> one.owned().equals(all));
            assertThat(one.partitions()).isEqualTo(6);
            try (WorkGroup two = WorkGroup.join(clients, "g", 6, "two", new Recorder("two", log))) {
                await().atMost(Duration.ofSeconds(60)).until(() -> !two.owned().isEmpty()
                        && one.owned().size() + two.owned().size() == 6);
                Set<Integer> union = new HashSet<>(one.owned());
                union.addAll(two.owned());
                assertThat(union).isEqualTo(all);
                assertThat(one.owned()).doesNotContainAnyElementsOf(two.owned());
                String unit = IntStream.range(0, 100).mapToObj(i -> WorkUnits.purgeUnit(1, "app.t" + i))
                        .filter(two::owns).findFirst().orElseThrow();
                assertThat(one.owns(unit)).isFalse();

                // Every partition two got was revoked from one before two heard of it.
                for (int p : two.owned()) {
                    assertThat(log.indexOf("one -" + p)).as("partition " + p).isNotNegative()
                            .isLessThan(log.lastIndexOf("two +" + p));
                }
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> one.owned().equals(all));
        }
    }
}
