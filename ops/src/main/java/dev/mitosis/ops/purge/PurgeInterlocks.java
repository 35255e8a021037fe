package dev.mitosis.ops.purge;

import dev.mitosis.connectors.kafka.KafkaClients;
import dev.mitosis.connectors.mariadb.ServerConnector;
import dev.mitosis.connectors.routing.RoutingStore;
import dev.mitosis.connectors.routing.ShardMapVersion;
import dev.mitosis.connectors.time.Sleeper;
import dev.mitosis.connectors.topology.MitosisConfig;
import dev.mitosis.connectors.topology.Pair;
import dev.mitosis.connectors.topology.Server;
import dev.mitosis.purger.CaptureCaughtUpInterlock;
import dev.mitosis.purger.CaptureStatusSource;
import dev.mitosis.purger.Interlock;
import dev.mitosis.purger.MisroutedWritesInterlock;
import dev.mitosis.purger.PurgeSettings;
import dev.mitosis.purger.PurgeTarget;
import dev.mitosis.purger.ReplicationCutInterlock;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The five interlocks of a purge, in the order of the runbook; the command has no way to skip any of them.
 */
public final class PurgeInterlocks {

    /** How long the misrouted-writes check before a run may read the stream and wait for capture to cover it. */
    static final Duration MISROUTED_START_BUDGET = Duration.ofSeconds(20);

    private PurgeInterlocks() {
    }

    /**
     * The interlocks for purging {@code target}, a server of {@code pair}: the shard map read from {@code routing},
     * the change stream and capture's status from the config's broker.
     */
    public static List<Interlock> forPair(MitosisConfig config, Pair pair, PurgeTarget target, PurgeSettings settings,
                                          RoutingStore routing, CaptureStatusSource capture, Clock clock) {
        int newShards = config.topology().newShards();
        Supplier<Optional<ShardMapVersion>> shardMap = FlipRecordedInterlock.latestOf(routing);
        Supplier<Optional<Instant>> flipTime = () -> shardMap.get().filter(m -> m.modulus() == newShards)
                .map(m -> Instant.parse(m.publishedAt()));
        return List.of(
                FlipRecordedInterlock.flipRecorded(shardMap, () -> routing.acks().values(), clock, newShards),
                new ReplicationCutInterlock(endpoint(pair.a()), endpoint(pair.a0())),
                new MisroutedWritesInterlock(new KafkaClients(config.kafka()), target,
                        (schema, table) -> config.tableRule(schema, table).shardKey(), capture, flipTime,
                        settings.quietWindow(), MISROUTED_START_BUDGET, clock, Sleeper.SYSTEM),
                new CaptureCaughtUpInterlock(target.serverName(), target.sessions(), capture,
                        settings.captureStatusMaxAge(), settings.maxCaptureLag(), clock, Sleeper.SYSTEM),
                FlipRecordedInterlock.verdictPassedBeforeFlip(shardMap, pair.number()));
    }

    private static ReplicationCutInterlock.Endpoint endpoint(Server server) {
        ServerConnector connector = new ServerConnector(server);
        return new ReplicationCutInterlock.Endpoint(server.name(), server.host(), server.port(), connector::open);
    }
}
