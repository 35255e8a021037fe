package dev.mitosis.verifier;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mitosis.connectors.capture.CaptureStatus;
import dev.mitosis.connectors.capture.CaptureStatusStore;
import dev.mitosis.connectors.events.ChangeEvent;
import dev.mitosis.connectors.events.ChangeEventReader;
import dev.mitosis.connectors.events.Op;
import dev.mitosis.connectors.kafka.KafkaClients;
import dev.mitosis.connectors.mariadb.GtidPosition;
import dev.mitosis.connectors.topology.Pair;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@link ChangedRows} from capture's change topics, {@code <prefix>.cdc.<server>.<schema>.<table>} of both servers of
 * a pair, and capture's status on {@code <prefix>.capture.health}: the stream is usable while both servers' capture
 * is RUNNING, reported within {@value #STATUS_MAX_AGE_MS} ms and lags at most the re-check wait; an answer for a
 * window waits until both servers' processed positions cover its end, so every change up to there is in Kafka; those
 * waits follow the health topic on the same consumer as the change topics.
 *
 * <p>An event belongs to a window when its GTID is not covered by the window's start on the server whose binlog
 * held it. Events are kept {@value #RETENTION_MINUTES} minutes; a window starting before the oldest dropped event
 * cannot be answered. Reads are bounded by the timeout given. Not thread-safe beyond its synchronized methods.
 */
public final class KafkaChangedRows implements ChangedRows {

    static final long STATUS_MAX_AGE_MS = 10_000;
    static final long RETENTION_MINUTES = 15;
    private static final Duration STATUS_CACHE = Duration.ofMillis(500);
    private static final Duration POLL = Duration.ofMillis(50);
    private static final Duration UNREACHABLE_RETRY = Duration.ofSeconds(60);

    /** One change as kept: the server whose binlog held it, its GTID, its key fields. */
    private record Change(String server, GtidPosition gtid, JsonNode key, Instant seenAt) {
    }

    /** One followed topic: the changes read from it, and the newest GTID dropped for age. */
    private static final class Followed {
        final String server;
        final Deque<Change> changes = new ArrayDeque<>();
        GtidPosition dropped = GtidPosition.empty();
        boolean assigned;

        Followed(String server) {
            this.server = server;
        }
    }

    private final Pair pair;
    private final KafkaClients clients;
    private final CaptureStatusStore statuses;
    private final Duration maxLag;
    private final Duration timeout;
    private final Clock clock;
    private final ChangeEventReader reader = new ChangeEventReader((schema, table) -> Optional.empty());
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Map<String, Followed> followed = new LinkedHashMap<>();
    private Map<String, CaptureStatus> lastStatuses = Map.of();
    /** The health topic's partition once assigned, and the newest status of each server read from it since. */
    private TopicPartition health;
    private final Map<String, CaptureStatus> followedStatuses = new LinkedHashMap<>();
    private Instant statusesReadAt = Instant.EPOCH;
    private Instant unreachableUntil = Instant.EPOCH;
    private Optional<String> unreachable = Optional.empty();

    /**
     * @param maxLag  the most capture may lag behind a binlog for the stream to be used
     * @param timeout bound of every Kafka call
     */
    public KafkaChangedRows(Pair pair, KafkaClients clients, Duration maxLag, Duration timeout, Clock clock) {
        this.pair = pair;
        this.clients = clients;
        this.statuses = new CaptureStatusStore(clients, timeout);
        this.maxLag = maxLag;
        this.timeout = timeout;
        this.clock = clock;
        this.consumer = new KafkaConsumer<>(clients.consumerProperties("mitosis-verify-changes-" + System.nanoTime(),
                "mitosis-verify-changes-pair-" + pair.number()));
    }

    @Override
    public synchronized Optional<String> unavailable() {
        if (clock.instant().isBefore(unreachableUntil)) {
            return unreachable;
        }
        Map<String, CaptureStatus> now;
        try {
            now = statuses(true);
        } catch (RuntimeException e) {
            // A broker that does not answer would cost a timeout per chunk: it is asked again only after a while.
            unreachableUntil = clock.instant().plus(UNREACHABLE_RETRY);
            unreachable = Optional.of("cannot read capture status: " + e.getMessage());
            return unreachable;
        }
        for (String server : List.of(pair.a().name(), pair.a0().name())) {
            CaptureStatus status = now.get(server);
            if (status == null) {
                return Optional.of("no capture status for " + server + " on " + statuses.topic()
                        + ": is `mitosis capture` running?");
            }
            Optional<String> why = status.whyNotCaughtUp(clock.instant(), Duration.ofMillis(STATUS_MAX_AGE_MS), maxLag);
            if (why.isPresent()) {
                return why;
            }
        }
        return Optional.empty();
    }

    private Map<String, CaptureStatus> statuses(boolean cached) {
        Instant now = clock.instant();
        if (!cached || now.isAfter(statusesReadAt.plus(STATUS_CACHE))) {
            lastStatuses = statuses.latest();
            statusesReadAt = now;
        }
        return lastStatuses;
    }

    @Override
    public synchronized void follow(String schema, String table) {
        boolean added = false;
        for (String server : List.of(pair.a().name(), pair.a0().name())) {
            String topic = clients.topics().changes(server, schema, table);
            if (!followed.containsKey(topic)) {
                followed.put(topic, new Followed(server));
                added = true;
            }
        }
        if (added) {
            assignNew();
        }
    }

    /** Assigns the partitions of topics that exist: those just followed start at their end now. */
    private void assignNew() {
        List<TopicPartition> fresh = new ArrayList<>();
        for (Map.Entry<String, Followed> f : followed.entrySet()) {
            if (f.getValue().assigned) {
                continue;
            }
            List<PartitionInfo> partitions = consumer.partitionsFor(f.getKey(), timeout);
            if (partitions == null || partitions.isEmpty()) {
                // Not created yet: capture creates it with its first event, which then is after any window's start.
                continue;
            }
            partitions.forEach(p -> fresh.add(new TopicPartition(p.topic(), p.partition())));
            f.getValue().assigned = true;
        }
        if (fresh.isEmpty()) {
            return;
        }
        Set<TopicPartition> all = new HashSet<>(consumer.assignment());
        all.addAll(fresh);
        Map<TopicPartition, Long> ends = consumer.endOffsets(fresh, timeout);
        consumer.assign(all);
        ends.forEach(consumer::seek);
    }

    @Override
    public synchronized Optional<Set<List<String>>> changed(String schema, String table, List<String> keyColumns,
                                                            Window window, Duration wait) {
        String topicA = clients.topics().changes(pair.a().name(), schema, table);
        String topicA0 = clients.topics().changes(pair.a0().name(), schema, table);
        if (!followed.containsKey(topicA) || !followed.containsKey(topicA0) || !reached(window, wait)) {
            return Optional.empty();
        }
        assignNew();
        readToEnd();
        Set<List<String>> keys = new HashSet<>();
        for (Map.Entry<String, GtidPosition> side : Map.of(topicA, window.sinceA(), topicA0, window.sinceA0()).entrySet()) {
            Followed f = followed.get(side.getKey());
            if (!side.getValue().covers(f.dropped)) {
                return Optional.empty();
            }
            for (Change c : f.changes) {
                if (!side.getValue().covers(c.gtid())) {
                    keys.add(keyColumns.stream().map(k -> c.key().path(k).asText()).toList());
                }
            }
        }
        return Optional.of(keys);
    }

    /**
     * Waits until capture of both servers acknowledged in Kafka everything up to the window's end. The statuses are
     * followed on the consumer of the change topics, which blocks up to {@link #POLL} for the next record: a status
     * is seen as soon as capture publishes it, without reading the whole health topic again for each look.
     */
    private boolean reached(Window window, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            if (!followHealth(deadline)) {
                return false;
            }
            CaptureStatus a = followedStatuses.get(pair.a().name());
            CaptureStatus a0 = followedStatuses.get(pair.a0().name());
            if (a != null && a0 != null && a.covers(window.untilA()) && a0.covers(window.untilA0())) {
                return true;
            }
            if (System.nanoTime() > deadline) {
                return false;
            }
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                keep(record);
            }
        }
    }

    /**
     * Assigns the health topic from its beginning (compacted: every server's newest status is there) if not yet.
     *
     * @return whether it is assigned; false while the topic does not exist until {@code deadline}
     */
    private boolean followHealth(long deadline) {
        if (health != null) {
            return true;
        }
        String topic = statuses.topic();
        Duration left = Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime()));
        List<PartitionInfo> partitions = consumer.partitionsFor(topic, left.compareTo(timeout) < 0 ? left : timeout);
        if (partitions == null || partitions.isEmpty()) {
            return false;
        }
        TopicPartition partition = new TopicPartition(topic, 0);
        Set<TopicPartition> all = new HashSet<>(consumer.assignment());
        all.add(partition);
        consumer.assign(all);
        consumer.seekToBeginning(List.of(partition));
        health = partition;
        return true;
    }

    /** Reads every assigned partition to the end it has now. */
    private void readToEnd() {
        Set<TopicPartition> assigned = consumer.assignment();
        if (assigned.isEmpty()) {
            return;
        }
        Map<TopicPartition, Long> ends = consumer.endOffsets(assigned, timeout);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (ends.entrySet().stream().anyMatch(e -> consumer.position(e.getKey(), timeout) < e.getValue())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("could not read the change topics " + assigned + " to their end within "
                        + timeout.toMillis() + " ms");
            }
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                keep(record);
            }
        }
        dropOld();
    }

    private void keep(ConsumerRecord<byte[], byte[]> record) {
        if (health != null && record.topic().equals(health.topic())) {
            if (record.key() == null) {
                return;
            }
            String server = new String(record.key(), StandardCharsets.UTF_8);
            if (record.value() == null) {
                followedStatuses.remove(server);
            } else {
                followedStatuses.put(server, CaptureStatusStore.read(record.value()));
            }
            return;
        }
        Followed f = followed.get(record.topic());
        if (f == null || record.value() == null) {
            return;
        }
        ChangeEvent event = reader.read(record);
        if (event.op() == Op.READ || event.gtid().isEmpty()) {
            return; // a snapshot row is no change
        }
        f.changes.addLast(new Change(f.server, GtidPosition.parse(event.gtid()), event.primaryKey(), clock.instant()));
    }

    private void dropOld() {
        Instant oldest = clock.instant().minus(Duration.ofMinutes(RETENTION_MINUTES));
        for (Followed f : followed.values()) {
            while (!f.changes.isEmpty() && f.changes.peekFirst().seenAt().isBefore(oldest)) {
                f.dropped = merge(f.dropped, f.changes.removeFirst().gtid());
            }
        }
    }

    /** The per-domain maximum of two positions. */
    static GtidPosition merge(GtidPosition a, GtidPosition b) {
        Map<Long, GtidPosition.Gtid> max = new LinkedHashMap<>(a.byDomain());
        b.byDomain().forEach((domain, gtid) -> max.merge(domain, gtid,
                (x, y) -> x.sequence() >= y.sequence() ? x : y));
        return GtidPosition.parse(String.join(",", max.values().stream().map(GtidPosition.Gtid::toString).toList()));
    }

    @Override
    public synchronized void close() {
        consumer.close(Duration.ofSeconds(5));
        statuses.close();
    }
}
