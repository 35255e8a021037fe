package dev.mitosis.ops.purge;

import dev.mitosis.connectors.mariadb.ServerConnector;
import dev.mitosis.connectors.routing.RoutingStore;
import dev.mitosis.connectors.routing.ShardMapVersion;
import dev.mitosis.connectors.topology.Pair;
import dev.mitosis.connectors.topology.Server;
import dev.mitosis.purger.Interlock;
import dev.mitosis.purger.NotWiredInterlock;
import dev.mitosis.purger.ReplicationCutInterlock;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The five interlocks of a purge, in the order of the runbook. Those whose evidence comes from a component not
 * wired in yet fail closed, naming what they need; the command has no way to skip any of them.
 */
final class PurgeInterlocks {

    private PurgeInterlocks() {
    }

    /** The interlocks for purging a server of {@code pair}, the shard map read from {@code routing}. */
    static List<Interlock> forPair(Pair pair, int newShards, RoutingStore routing) {
        Supplier<Optional<ShardMapVersion>> shardMap = FlipRecordedInterlock.latestOf(routing);
        return List.of(
                FlipRecordedInterlock.flipRecorded(shardMap, () -> routing.acks().values(), Clock.systemUTC(), newShards),
                new ReplicationCutInterlock(endpoint(pair.a()), endpoint(pair.a0())),
                new NotWiredInterlock("no misrouted writes over purge.quiet.window.ms", "capture"),
                new NotWiredInterlock("capture healthy and caught up", "capture"),
                FlipRecordedInterlock.verdictPassedBeforeFlip(shardMap, pair.number()));
    }

    private static ReplicationCutInterlock.Endpoint endpoint(Server server) {
        ServerConnector connector = new ServerConnector(server);
        return new ReplicationCutInterlock.Endpoint(server.name(), server.host(), server.port(), connector::open);
    }
}
