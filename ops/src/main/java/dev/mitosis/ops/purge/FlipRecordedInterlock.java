package dev.mitosis.ops.purge;

import dev.mitosis.connectors.routing.GateRecord;
import dev.mitosis.connectors.routing.RoutingAck;
import dev.mitosis.connectors.routing.RoutingStore;
import dev.mitosis.connectors.routing.ShardMapVersion;
import dev.mitosis.purger.Interlock;
import dev.mitosis.purger.InterlockResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Interlocks (1) and (5) of a purge, both read from the published shard map: the flip to 2n is recorded, and the
 * pair's gate, as the flip recorded it, was PASS. A forced flip records the gate it went past, so this still
 * refuses after it.
 */
final class FlipRecordedInterlock {

    private FlipRecordedInterlock() {
    }

    /**
     * How recently a router client must have been seen to count as live: twelve of its 5 s heartbeats, the same
     * window `mitosis flip status` uses by default.
     */
    static final Duration LIVE_CLIENT_WINDOW = Duration.ofSeconds(60);

    /**
     * (1) routing is by uid % 2n, and every router client seen within {@link #LIVE_CLIENT_WINDOW} acknowledged that
     * epoch: a live client still on the old map would write rows the purge then deletes.
     */
    static Interlock flipRecorded(Supplier<Optional<ShardMapVersion>> latest, Supplier<Collection<RoutingAck>> acks,
                                  Clock clock, int newShards) {
        String name = "flip recorded";
        return new Named(name, () -> {
            Optional<ShardMapVersion> map = latest.get();
            if (map.isEmpty()) {
                return InterlockResult.refused(name, "no shard map is published: run `mitosis flip --to " + newShards + "`");
            }
            if (map.get().modulus() != newShards) {
                return InterlockResult.refused(name, "routing is by uid % " + map.get().modulus() + " (epoch "
                        + map.get().epoch() + "): run `mitosis flip --to " + newShards + "` first");
            }
            long epoch = map.get().epoch();
            Instant liveSince = clock.instant().minus(LIVE_CLIENT_WINDOW);
            List<String> behind = new ArrayList<>();
            int live = 0;
            for (RoutingAck ack : acks.get()) {
                if (Instant.parse(ack.seenAt()).isAfter(liveSince)) {
                    live++;
                    if (ack.epoch() < epoch) {
                        behind.add(ack.clientId() + " (epoch " + ack.epoch() + ", host " + ack.host() + ")");
                    }
                }
            }
            if (!behind.isEmpty()) {
                return InterlockResult.refused(name, "epoch " + epoch + " is published but router clients seen in the last "
                        + LIVE_CLIENT_WINDOW.toSeconds() + " s have not applied it: " + String.join(", ", behind)
                        + "; see `mitosis flip status`");
            }
            return InterlockResult.holds(name, "epoch " + epoch + " routes by uid % " + newShards
                    + " since " + map.get().publishedAt() + "; applied by all " + live + " live router client(s)");
        });
    }

    /** (5) the flip recorded a PASS for this pair. */
    static Interlock verdictPassedBeforeFlip(Supplier<Optional<ShardMapVersion>> latest, int pair) {
        String name = "last verdict PASS";
        return new Named(name, () -> {
            Optional<GateRecord> gate = latest.get().flatMap(m -> m.gates().stream().filter(g -> g.pair() == pair).findFirst());
            if (gate.isEmpty()) {
                return InterlockResult.refused(name, "the published shard map records no gate for pair " + pair);
            }
            return gate.get().passed()
                    ? InterlockResult.holds(name, "pair " + pair + " was PASS at the flip (verified " + gate.get().finishedAt() + ")")
                    : InterlockResult.refused(name, "pair " + pair + " was " + gate.get().verdict() + " at the flip ("
                            + gate.get().reason() + "): the flip was forced; verify the pair's data before purging");
        });
    }

    /**
     * The routing store's latest map, read at most once a second: interlocks (1) and (5) are checked together, and
     * again every few seconds during a run. A read that fails is not cached.
     */
    static Supplier<Optional<ShardMapVersion>> latestOf(RoutingStore store) {
        return new Supplier<>() {
            private Optional<ShardMapVersion> cached;
            private long readAt;

            @Override
            public synchronized Optional<ShardMapVersion> get() {
                if (cached == null || System.nanoTime() - readAt > 1_000_000_000L) {
                    cached = store.latest();
                    readAt = System.nanoTime();
                }
                return cached;
            }
        };
    }

    private record Named(String name, Supplier<InterlockResult> condition) implements Interlock {
        @Override
        public InterlockResult check() {
            try {
                return condition.get();
            } catch (RuntimeException e) {
                return InterlockResult.refused(name, "cannot read the shard map: " + e.getMessage());
            }
        }
    }
}
