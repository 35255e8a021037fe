package dev.mitosis.ops.daemon;

import dev.mitosis.connectors.topology.MitosisConfig;
import dev.mitosis.connectors.work.WorkGroup;
import dev.mitosis.purger.PurgeSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The purges this daemon was asked to run, one {@link ShardPurge} per new shard, and the listener of the work
 * group that divides their units (tables, or key ranges of tables) among daemons.
 */
final class PurgeWorkers implements WorkGroup.Listener {

    /** How long a moving unit may take to finish its chunk before the group gives it away anyway. */
    private static final Duration HANDOVER_TIMEOUT = Duration.ofSeconds(30);
    private static final Logger LOG = LoggerFactory.getLogger(PurgeWorkers.class);

    private final MitosisConfig config;
    private final PurgeSettings settings;
    private final Path stateDir;
    private final Duration retryInterval;
    private final int rangesPerTable;
    private final Map<Integer, ShardPurge> shards = new ConcurrentSkipListMap<>();
    private volatile WorkGroup work;

    /** @param rangesPerTable key ranges each table is cut into, each a unit of work; 1 keeps a table one unit */
    PurgeWorkers(MitosisConfig config, PurgeSettings settings, Path stateDir, Duration retryInterval,
                 int rangesPerTable) {
        this.config = config;
        this.rangesPerTable = rangesPerTable;
        this.settings = settings;
        this.stateDir = stateDir;
        this.retryInterval = retryInterval;
    }

    void useWorkGroup(WorkGroup group) {
        this.work = group;
    }

    /** The control file of a shard: purge.pause.file if configured (shared by every shard), else the daemon's own. */
    PurgeControl controlOf(int shard) {
        ShardPurge running = shards.get(shard);
        if (running != null) {
            return running.control();
        }
        return new PurgeControl(settings.pauseFile().orElse(stateDir.resolve("purge").resolve("shard-" + shard
                + ".control")));
    }

    /**
     * Starts the purge of {@code shard} unless it runs already.
     *
     * @return the started purge, or empty if one was running
     */
    synchronized Optional<ShardPurge> start(int shard) {
        ShardPurge existing = shards.get(shard);
        if (existing != null && existing.alive()) {
            return Optional.empty();
        }
        ShardPurge purge = new ShardPurge(shard, config, settings, work, controlOf(shard), retryInterval,
                rangesPerTable);
        shards.put(shard, purge);
        purge.start();
        LOG.info("event=purge_requested shard={}", shard);
        return Optional.of(purge);
    }

    /** The work partitions this daemon owns now, in order; none before it joined its group. */
    List<Integer> ownedPartitions() {
        WorkGroup group = work;
        return group == null ? List.of() : group.owned().stream().sorted().toList();
    }

    Optional<ShardPurge> get(int shard) {
        return Optional.ofNullable(shards.get(shard));
    }

    List<ShardPurge> all() {
        return new ArrayList<>(shards.values());
    }

    @Override
    public void revoked(Set<Integer> partitions) {
        shards.values().forEach(s -> s.stopUnitsIn(partitions));
        long deadline = System.nanoTime() + HANDOVER_TIMEOUT.toNanos();
        try {
            for (ShardPurge shard : shards.values()) {
                if (!shard.awaitNoUnitIn(partitions, deadline)) {
                    LOG.warn("event=purge_handover_slow shard={} timeout_ms={}", shard.shard(),
                            HANDOVER_TIMEOUT.toMillis());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void assigned(Set<Integer> partitions) {
        shards.values().forEach(ShardPurge::ownershipChanged);
    }

    /** Stops every purge after its chunk and waits, within {@code timeout}; whether all ended. */
    boolean stopAll(Duration timeout) throws InterruptedException {
        shards.values().forEach(ShardPurge::stop);
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean all = true;
        for (ShardPurge shard : shards.values()) {
            all &= shard.awaitStopped(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
        }
        return all;
    }
}
