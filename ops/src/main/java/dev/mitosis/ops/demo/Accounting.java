package dev.mitosis.ops.demo;

import dev.mitosis.connectors.mariadb.ServerConnector;
import dev.mitosis.connectors.shard.ResiduePredicates;
import dev.mitosis.connectors.shard.ShardMap;
import dev.mitosis.connectors.sql.SqlFragment;
import dev.mitosis.connectors.topology.Server;
import dev.mitosis.connectors.topology.Topology;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Counts the rows lost by the split, from evidence: every sample row and every row the load generator's
 * acknowledged writes left must be on the server of the new shard that owns its uid, with the version last written;
 * every row it deleted must be absent there. Also counts, per new shard, the rows it holds that it does not own
 * (the purge's residue: 0 once purged).
 */
final class Accounting {

    /** One new shard after the split. */
    record ShardRows(int shard, String server, long rows, long owned, long notOwned, long missing, long stale,
                     long resurrected) {
    }

    /** The whole split: lost = missing + stale over every shard. */
    record Result(List<ShardRows> shards, long expectedRows, long lost, long resurrected, long uncertain,
                  List<String> samples) {
    }

    private static final int SAMPLES = 10;

    private Accounting() {
    }

    static Result check(Topology topology, Set<Long> sampleUids, Map<Long, Long> ledger) throws SQLException {
        ShardMap map = topology.shardMap();
        ResiduePredicates predicates = new ResiduePredicates(map);
        Map<Integer, Map<Long, Long>> expectedByShard = new HashMap<>();
        long uncertain = 0;
        for (long uid : sampleUids) {
            if (!ledger.containsKey(uid)) {
                expectedByShard.computeIfAbsent(map.newShardOf(uid), s -> new HashMap<>()).put(uid, 0L);
            }
        }
        for (Map.Entry<Long, Long> e : ledger.entrySet()) {
            if (e.getValue() == Ledger.UNCERTAIN) {
                uncertain++;
            } else {
                expectedByShard.computeIfAbsent(map.newShardOf(e.getKey()), s -> new HashMap<>())
                        .put(e.getKey(), e.getValue());
            }
        }
        List<ShardRows> shards = new ArrayList<>();
        List<String> samples = new ArrayList<>();
        long expectedRows = 0;
        long lost = 0;
        long resurrected = 0;
        for (int shard = 0; shard < map.newShards(); shard++) {
            Server server = topology.serverOfNewShard(shard);
            SqlFragment owned = predicates.ownedByNewShard("uid", shard);
            Map<Long, Long> present = new HashMap<>();
            long rows;
            try (Connection c = new ServerConnector(server).open()) {
                rows = count(c, "SELECT COUNT(*) FROM `app`.`accounts`");
                try (PreparedStatement ps = c.prepareStatement("SELECT `uid`, `score` FROM `app`.`accounts` WHERE "
                        + owned.sql())) {
                    owned.bind(ps, 1);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            present.put(rs.getLong(1), rs.getLong(2));
                        }
                    }
                }
            }
            long missing = 0;
            long stale = 0;
            long back = 0;
            for (Map.Entry<Long, Long> e : expectedByShard.getOrDefault(shard, Map.of()).entrySet()) {
                long uid = e.getKey();
                long version = e.getValue();
                Long found = present.get(uid);
                if (version == Ledger.DELETED) {
                    if (found != null) {
                        back++;
                        sample(samples, "shard " + shard + ": uid " + uid + " was deleted but is there");
                    }
                    continue;
                }
                expectedRows++;
                if (found == null) {
                    missing++;
                    sample(samples, "shard " + shard + ": uid " + uid + " is missing");
                } else if (version > 0 && found != version) {
                    stale++;
                    sample(samples, "shard " + shard + ": uid " + uid + " holds version " + found + ", expected " + version);
                }
            }
            lost += missing + stale;
            resurrected += back;
            shards.add(new ShardRows(shard, server.name(), rows, present.size(), rows - present.size(), missing, stale,
                    back));
        }
        return new Result(shards, expectedRows, lost, resurrected, uncertain, samples);
    }

    private static void sample(List<String> samples, String line) {
        if (samples.size() < SAMPLES) {
            samples.add(line);
        }
    }

    static long count(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
