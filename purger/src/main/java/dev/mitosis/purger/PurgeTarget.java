package dev.mitosis.purger;

import dev.mitosis.connectors.shard.ServerRole;
import dev.mitosis.connectors.shard.ShardMap;

import java.util.Objects;

/**
 * The server a purge deletes on, and what the split means there.
 *
 * @param shardMap   the split
 * @param newShard   the new shard the server becomes: {@code i} (A of pair i) or {@code i + n} (A0 of pair i)
 * @param serverName the server's name, for logs, the heartbeat row and the delete tag
 * @param sessions   sessions to the server
 */
public record PurgeTarget(ShardMap shardMap, int newShard, String serverName, ServerSessions sessions) {

    /** Checks the shard is one of the split's new shards. */
    public PurgeTarget {
        Objects.requireNonNull(shardMap, "shardMap");
        Objects.requireNonNull(serverName, "serverName");
        Objects.requireNonNull(sessions, "sessions");
        shardMap.oldShardOfNewShard(newShard);
    }

    /** The pair (old shard) the server belongs to. */
    public int oldShard() {
        return shardMap.oldShardOfNewShard(newShard);
    }

    /** A or A0. */
    public ServerRole role() {
        return shardMap.roleOfNewShard(newShard);
    }

    /** The residue mod 2n this server deletes: the one its sibling keeps. */
    public int purgedResidue() {
        return shardMap.purgedResidue(oldShard(), role());
    }

    /** The residue mod 2n this server keeps. */
    public int keptResidue() {
        return shardMap.keptResidue(oldShard(), role());
    }
}
