package dev.mitosis.connectors.routing;

import dev.mitosis.connectors.kafka.KafkaClients;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a service embeds to route by uid: it follows the published shard map and switches to each new epoch
 * without a restart, then acknowledges the epoch under its client id.
 *
 * <p>A write done under a {@link #lease} is never split across epochs: the switch waits for the writes in flight
 * under the old map to finish, so once the acknowledgement is out, no write from this client goes by the old map.
 */
public final class ShardRouter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ShardRouter.class);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration SWITCH_WAIT = Duration.ofSeconds(30);
    /** How often a live client repeats its acknowledgement, so `flip status` can tell it from a gone one. */
    static final Duration HEARTBEAT = Duration.ofSeconds(5);

    private final KafkaClients clients;
    private final String clientId;
    private final Clock clock;
    private final AtomicReference<ShardMapVersion> current = new AtomicReference<>();
    private final ReentrantReadWriteLock inFlight = new ReentrantReadWriteLock();
    private final List<Consumer<ShardMapVersion>> listeners = new CopyOnWriteArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private volatile long acknowledgedEpoch;
    private volatile String appliedAt;
    private volatile long lastAckNanos;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final KafkaProducer<byte[], byte[]> producer;
    private final Thread follower;

    private ShardRouter(KafkaClients clients, String clientId, Clock clock) {
        this.clients = clients;
        this.clientId = clientId;
        this.clock = clock;
        // A new map becomes visible at its transaction's commit marker, which does not wake a waiting fetch:
        // the broker's default 500 ms fetch wait would be most of a client's switch time.
        this.consumer = new KafkaConsumer<>(KafkaClients.with(clients.consumerProperties("mitosis-router-" + clientId,
                clientId), Map.of(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "50")));
        this.producer = clients.newProducer(clientId);
        this.follower = new Thread(this::follow, "mitosis-router-" + clientId);
        this.follower.setDaemon(true);
    }

    /**
     * Starts following the shard map and waits, up to {@code timeout}, for the first one; a router that has no map
     * yet refuses to route rather than guess.
     */
    public static ShardRouter start(KafkaClients clients, String clientId, Duration timeout) {
        if (!clientId.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,99}")) {
            throw new IllegalArgumentException("client id '" + clientId + "' must match [A-Za-z0-9][A-Za-z0-9_.-]{0,99}");
        }
        new RoutingStore(clients).ensureTopics();
        ShardRouter router = new ShardRouter(clients, clientId, Clock.systemUTC());
        router.follower.start();
        router.awaitMap(timeout);
        return router;
    }

    /** The route of a uid under the current map; for reads, or writes that need no epoch guarantee. */
    public Route route(long uid) {
        return map().route(uid);
    }

    /**
     * Holds the current map for the duration of one write: the switch to a newer epoch (and so its
     * acknowledgement) waits until the lease is closed. Keep leases short, and close each on the thread that took
     * it (try-with-resources does).
     */
    public RouteLease lease(long uid) {
        ReentrantReadWriteLock.ReadLock lock = inFlight.readLock();
        lock.lock();
        try {
            return new RouteLease(map().route(uid), lock::unlock);
        } catch (RuntimeException e) {
            lock.unlock();
            throw e;
        }
    }

    /** The map this client routes by now, if it has one. */
    public Optional<ShardMapVersion> current() {
        return Optional.ofNullable(current.get());
    }

    /** Called with each new map, after the switch and before the acknowledgement (e.g. to open new pools). */
    public void onChange(Consumer<ShardMapVersion> listener) {
        listeners.add(listener);
    }

    public String clientId() {
        return clientId;
    }

    @Override
    public void close() {
        if (running.compareAndSet(true, false)) {
            consumer.wakeup();
            try {
                follower.join(SWITCH_WAIT.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            producer.close(Duration.ofSeconds(5));
        }
    }

    private ShardMapVersion map() {
        ShardMapVersion map = current.get();
        if (map == null) {
            throw new IllegalStateException("router " + clientId + " has no shard map yet (topic "
                    + clients.topics().shardMap() + " is empty or unread)");
        }
        return map;
    }

    private void awaitMap(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (current.get() == null && follower.isAlive() && System.nanoTime() < deadline) {
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
        if (current.get() == null) {
            close();
            throw new IllegalStateException("router " + clientId + " found no shard map on "
                    + clients.topics().shardMap() + " within " + timeout.toMillis() + " ms; publish one with `mitosis flip`");
        }
    }

    private void follow() {
        TopicPartition partition = new TopicPartition(clients.topics().shardMap(), 0);
        try (consumer) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            while (running.get()) {
                ShardMapVersion newest = null;
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                    if (record.value() != null) {
                        newest = RoutingJson.read(record.value(), ShardMapVersion.class);
                    }
                }
                ShardMapVersion applied = current.get();
                if (newest != null && (applied == null || newest.epoch() > applied.epoch())) {
                    apply(newest);
                } else if (applied != null && (applied.epoch() > acknowledgedEpoch
                        || System.nanoTime() - lastAckNanos > HEARTBEAT.toNanos())) {
                    acknowledge(applied); // a failed acknowledgement again, or the heartbeat
                }
            }
        } catch (WakeupException closing) {
            // close() woke the poll up
        } catch (RuntimeException e) {
            LOG.error("event=router_failed client={} error=\"{}\"", clientId, e.getMessage(), e);
        }
    }

    private void apply(ShardMapVersion next) {
        ReentrantReadWriteLock.WriteLock lock = inFlight.writeLock();
        try {
            if (!lock.tryLock(SWITCH_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("event=router_switch_waiting client={} epoch={} reason=\"writes under the old map still in"
                        + " flight after {} s\"", clientId, next.epoch(), SWITCH_WAIT.toSeconds());
                return; // the next poll tries again; no ack until the switch happened
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        ShardMapVersion previous;
        try {
            previous = current.getAndSet(next);
            appliedAt = clock.instant().toString();
        } finally {
            lock.unlock();
        }
        listeners.forEach(l -> l.accept(next));
        acknowledge(next);
        LOG.info("event=router_switched client={} from_epoch={} epoch={} modulus={}", clientId,
                previous == null ? 0 : previous.epoch(), next.epoch(), next.modulus());
    }

    private void acknowledge(ShardMapVersion applied) {
        RoutingAck ack = new RoutingAck(clientId, applied.epoch(), appliedAt, hostName(), clock.instant().toString());
        try {
            producer.send(new ProducerRecord<>(clients.topics().routingAcks(), clientId.getBytes(StandardCharsets.UTF_8),
                    RoutingJson.write(ack))).get(SWITCH_WAIT.toSeconds(), TimeUnit.SECONDS);
            acknowledgedEpoch = applied.epoch();
            lastAckNanos = System.nanoTime();
        } catch (Exception e) {
            LOG.warn("event=router_ack_failed client={} epoch={} error=\"{}\"", clientId, applied.epoch(), e.getMessage());
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown";
        }
    }
}
