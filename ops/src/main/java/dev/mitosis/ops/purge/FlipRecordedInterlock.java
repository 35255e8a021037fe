package dev.mitosis.ops.purge;

import dev.mitosis.connectors.routing.GateRecord;
import dev.mitosis.connectors.routing.RoutingStore;
import dev.mitosis.connectors.routing.ShardMapVersion;
import dev.mitosis.purger.Interlock;
import dev.mitosis.purger.InterlockResult;
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

    /** (1) routing is by uid % 2n. */
    static Interlock flipRecorded(Supplier<Optional<ShardMapVersion>> latest, int newShards) {
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
            return InterlockResult.holds(name, "epoch " + map.get().epoch() + " routes by uid % " + newShards
                    + " since " + map.get().publishedAt());
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
