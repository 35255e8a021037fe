package dev.mitosis.ops.flip;

import dev.mitosis.connectors.routing.GateRecord;
import dev.mitosis.connectors.routing.RoutingStore;
import dev.mitosis.connectors.routing.ShardEndpoint;
import dev.mitosis.connectors.routing.ShardMapVersion;
import dev.mitosis.connectors.shard.ServerRole;
import dev.mitosis.connectors.topology.MitosisConfig;
import dev.mitosis.connectors.topology.Pair;
import dev.mitosis.connectors.topology.Server;
import dev.mitosis.ops.cli.OperatorException;
import dev.mitosis.ops.cli.Progress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Publishes the routing for {@code --to}: 2n splits (A serves new shard i, A0 new shard i + n), n rolls back (A
 * serves old shard i again). Without a published map the fleet routes by n, and {@code --to n} publishes that as the
 * first epoch, so clients can start following before the split.
 */
final class Flip {

    /** What was published, or that nothing needed to be. */
    record Result(long epoch, int modulus, int previousModulus, boolean published, boolean forced, String reason,
                  List<ShardEndpoint> shards) {
    }

    private final MitosisConfig config;
    private final RoutingStore store;
    private final FlipPreconditions preconditions;
    private final Progress progress;
    private final Clock clock;

    Flip(MitosisConfig config, RoutingStore store, FlipPreconditions preconditions, Progress progress, Clock clock) {
        this.config = config;
        this.store = store;
        this.preconditions = preconditions;
        this.progress = progress;
        this.clock = clock;
    }

    Result run(int to, boolean force, String reason) {
        int n = config.topology().oldShards();
        if (to != n && to != 2 * n) {
            throw OperatorException.usage("--to " + to + " is neither 2n = " + 2 * n + " (split) nor n = " + n
                    + " (roll back); the config has " + n + " old shard(s)");
        }
        if (force && (reason == null || reason.isBlank())) {
            throw OperatorException.usage("--force needs --reason \"...\": it is recorded with the flip");
        }
        store.ensureTopics();
        Optional<ShardMapVersion> latest = store.latest();
        int currentModulus = latest.map(ShardMapVersion::modulus).orElse(n);
        long currentEpoch = latest.map(ShardMapVersion::epoch).orElse(0L);
        if (to == currentModulus && latest.isPresent()) {
            progress.say("routing is already by uid %% %d (epoch %d); nothing published", to, currentEpoch);
            return new Result(currentEpoch, to, currentModulus, false, false, latest.get().reason(), latest.get().shards());
        }
        List<GateRecord> gates = to == 2 * n ? preconditions.gates(config) : List.of();
        List<String> problems = to == 2 * n
                ? gates.stream().filter(g -> !g.passed()).map(g -> "pair " + g.pair() + ": gate " + g.verdict() + ", " + g.reason()).toList()
                : currentModulus == 2 * n ? preconditions.purgesStarted(config) : List.of();
        if (!problems.isEmpty()) {
            boolean rollback = to == n;
            if (rollback || !force) {
                problems.forEach(p -> progress.say("refused: %s", p));
                throw OperatorException.failed((rollback ? "roll back to " : "flip to ") + to + " refused: "
                        + String.join("; ", problems)
                        + (rollback ? "" : ". Fix them, or publish anyway with --force --reason \"...\""));
            }
            problems.forEach(p -> progress.say("FORCED past: %s (reason: %s)", p, reason));
        }
        String why = reason != null && !reason.isBlank() ? reason
                : to == 2 * n ? "split to " + to + " shards" : latest.isPresent() ? "roll back to " + to + " shards"
                : "initial routing by uid % " + to;
        ShardMapVersion next = new ShardMapVersion(currentEpoch + 1, to, endpoints(to), clock.instant().toString(), why,
                force && !problems.isEmpty(), gates);
        store.publish(next, currentEpoch);
        progress.say("published epoch %d: uid %% %d (was uid %% %d); clients switch as they read it, see `mitosis flip status`",
                next.epoch(), to, currentModulus);
        return new Result(next.epoch(), to, currentModulus, true, next.forced(), why, next.shards());
    }

    /** Shard s of modulus n: pair s's A. Of 2n: pair s's A for s < n, pair s - n's A0 for s >= n. */
    private List<ShardEndpoint> endpoints(int modulus) {
        int n = config.topology().oldShards();
        List<ShardEndpoint> shards = new ArrayList<>();
        for (int s = 0; s < modulus; s++) {
            Pair pair = config.topology().pair(s % n);
            Server writer = pair.server(modulus == n || s < n ? ServerRole.A : ServerRole.A0);
            shards.add(new ShardEndpoint(s, writer.name(), writer.host(), writer.port()));
        }
        return shards;
    }
}
