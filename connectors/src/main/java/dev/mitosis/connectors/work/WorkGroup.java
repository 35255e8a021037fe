package dev.mitosis.connectors.work;

import dev.mitosis.connectors.kafka.KafkaClients;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Divides work among processes through a Kafka consumer group: the processes subscribe to one work topic, the
 * group coordinator assigns its partitions, and a process owns the units ({@link WorkUnits#partitionOf}) of the
 * partitions it holds. No record is ever written to the topic: membership and assignment are the whole protocol.
 *
 * <p>The assignment is eager ({@link RangeAssignor}): before any partition moves, every member's
 * {@link Listener#revoked} runs and returns, so a unit is never worked on by its old and new owner at once (as
 * long as the listener stops the unit's work before returning). A member that dies stops heartbeating and its
 * partitions move after the session timeout.
 */
public final class WorkGroup implements AutoCloseable {

    /** Hears about assignment changes, on the group's thread. */
    public interface Listener {
        /** These partitions are about to move: stop their units before returning. */
        void revoked(Set<Integer> partitions);

        /** These partitions are now this process's. */
        void assigned(Set<Integer> partitions);
    }

    private static final Logger LOG = LoggerFactory.getLogger(WorkGroup.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final int partitions;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Thread thread;
    private final String name;
    private final String topicName;
    private volatile Set<Integer> owned;
    private volatile boolean running = true;
    private final CountDownLatch firstAssignment = new CountDownLatch(1);

    private WorkGroup(int partitions, Set<Integer> owned, KafkaConsumer<byte[], byte[]> consumer, String topic,
                      String name, Listener listener) {
        this.partitions = partitions;
        this.topicName = topic;
        this.owned = Set.copyOf(owned);
        this.consumer = consumer;
        this.name = name;
        if (consumer == null) {
            this.thread = null;
            firstAssignment.countDown();
            listener.assigned(this.owned);
            return;
        }
        this.thread = new Thread(() -> poll(listener), "work-group-" + name);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** A process that works alone: it owns every partition, now and always. */
    public static WorkGroup solo(int partitions, Listener listener) {
        return new WorkGroup(partitions, IntStream.range(0, partitions).boxed().collect(Collectors.toSet()), null,
                null, "solo", listener);
    }

    /**
     * Joins group {@code <prefix>.work.<group>} on the topic {@code <prefix>.work}, creating the topic with
     * {@code partitions} partitions if it does not exist (an existing topic keeps its count).
     *
     * @param member this process's name in the group, for the broker's logs and {@code kafka-consumer-groups}
     */
    public static WorkGroup join(KafkaClients kafka, String group, int partitions, String member, Listener listener) {
        String topic = topic(kafka);
        int actual = ensureTopic(kafka, topic, partitions);
        Map<String, String> overrides = Map.of(
                ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, RangeAssignor.class.getName(),
                ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "10000",
                ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "1000",
                ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, "300000",
                ConsumerConfig.METADATA_MAX_AGE_CONFIG, "5000");
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(KafkaClients.with(
                kafka.consumerProperties(groupId(kafka, group), member), overrides));
        return new WorkGroup(actual, Set.of(), consumer, topic, member, listener);
    }

    /** The work topic of a fleet's Kafka. */
    public static String topic(KafkaClients kafka) {
        return kafka.topics().prefix() + ".work";
    }

    /** The consumer group of a work group. */
    public static String groupId(KafkaClients kafka, String group) {
        return kafka.topics().prefix() + ".work." + group;
    }

    /** The work topic's partition count. */
    public int partitions() {
        return partitions;
    }

    /** The partitions this process holds now. */
    public Set<Integer> owned() {
        return owned;
    }

    /** Whether this process owns {@code unit} now. */
    public boolean owns(String unit) {
        return owned.contains(WorkUnits.partitionOf(unit, partitions));
    }

    /** Waits until the group gave this process its first assignment (possibly empty). */
    public boolean awaitFirstAssignment(Duration timeout) throws InterruptedException {
        return firstAssignment.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void poll(Listener listener) {
        // Subscribed on this thread: a KafkaConsumer is used by one thread only.
        try {
            consumer.subscribe(List.of(topicName), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
                    Set<Integer> numbers = numbers(revoked);
                    owned = Set.of();
                    if (!numbers.isEmpty()) {
                        LOG.info("event=work_revoked member={} partitions={}", name, numbers);
                        listener.revoked(numbers);
                    }
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
                    Set<Integer> numbers = numbers(consumer.assignment());
                    owned = Set.copyOf(numbers);
                    LOG.info("event=work_assigned member={} partitions={}", name, numbers);
                    listener.assigned(owned);
                    firstAssignment.countDown();
                }
            });
            while (running) {
                consumer.poll(Duration.ofMillis(200));
            }
        } catch (WakeupException e) {
            // close() woke the poll: leave the group below
        } catch (RuntimeException e) {
            LOG.error("event=work_group_failed member={} error=\"{}\"", name, e.toString());
            owned = Set.of();
            listener.revoked(IntStream.range(0, partitions).boxed().collect(Collectors.toSet()));
        } finally {
            try {
                // Leaving the group at once moves this process's partitions now, not after the session timeout.
                consumer.close(Duration.ofSeconds(5));
            } catch (RuntimeException e) {
                LOG.warn("event=work_group_close_failed member={} error=\"{}\"", name, e.toString());
            }
        }
    }

    private static Set<Integer> numbers(Collection<TopicPartition> partitions) {
        return partitions.stream().map(TopicPartition::partition).collect(Collectors.toCollection(TreeSet::new));
    }

    private static int ensureTopic(KafkaClients kafka, String topic, int partitions) {
        try (Admin admin = kafka.newAdmin("mitosis-work-admin")) {
            try {
                admin.createTopics(List.of(new NewTopic(topic, Optional.of(partitions), Optional.empty())))
                        .all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                return partitions;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("cannot create the work topic " + topic + ": " + e.getMessage(), e);
                }
            }
            return existingPartitions(admin, topic);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating the work topic " + topic, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot reach Kafka at " + kafka.settings().bootstrapServersProperty()
                    + " for the work topic " + topic + ": " + e.getMessage(), e);
        }
    }

    /**
     * The partition count of a topic another member just created: until the broker's metadata has it, describing
     * it says unknown topic, which is retried with a doubling pause up to {@link #TIMEOUT}.
     */
    private static int existingPartitions(Admin admin, String topic)
            throws InterruptedException, ExecutionException, TimeoutException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        long pauseMs = 50;
        for (int attempt = 1; ; attempt++) {
            try {
                return admin.describeTopics(List.of(topic)).allTopicNames()
                        .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(topic).partitions().size();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
                    throw e;
                }
                LOG.info("event=work_topic_retry topic={} attempt={} reason=\"{}\"", topic, attempt,
                        e.getCause().getMessage());
                Thread.sleep(pauseMs);
                pauseMs = Math.min(1000, pauseMs * 2);
            }
        }
    }

    /** Leaves the group (its partitions move to the other members at once); bounded, idempotent. */
    @Override
    public void close() {
        running = false;
        if (thread != null) {
            consumer.wakeup();
            try {
                thread.join(TIMEOUT.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
