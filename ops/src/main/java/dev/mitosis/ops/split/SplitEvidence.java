package dev.mitosis.ops.split;

import dev.mitosis.connectors.routing.ShardMapVersion;
import dev.mitosis.connectors.topology.Pair;
import dev.mitosis.connectors.topology.Server;
import dev.mitosis.purger.InterlockResult;
import dev.mitosis.verifier.Gate;
import java.util.List;
import java.util.Optional;

/**
 * Where each step of the split leaves its evidence. Nothing is inferred from anything else: each answer comes from
 * its own source, and a source that cannot be read throws (the status shows that step as unknown).
 */
interface SplitEvidence {

    /** The newest published shard map, empty if none was published. */
    Optional<ShardMapVersion> shardMap();

    /** The gate of every pair, in pair order, by the stored verdicts. */
    List<Gate.Decision> gates();

    /** Whether the old pair's replication is cut both ways. */
    InterlockResult cut(Pair pair);

    /** The healthy replication links into {@code server} from anything but {@code oldSibling}, described. */
    List<String> newPartnerLinks(Server server, Server oldSibling) throws Exception;

    /** Purge progress of new shard {@code shard} on its server. */
    Purge purge(int shard) throws Exception;

    /** Rows deleted by the purge checkpoints and rows of the purged residue still on the server. */
    record Purge(boolean started, long deleted, long remaining, int tablesDone, int tables) {
        boolean done() {
            return started && remaining == 0 && tablesDone >= tables;
        }

        double percent() {
            long total = deleted + remaining;
            return total == 0 ? (started ? 100.0 : 0.0) : 100.0 * deleted / total;
        }
    }
}
