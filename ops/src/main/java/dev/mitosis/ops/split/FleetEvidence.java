package dev.mitosis.ops.split;

import dev.mitosis.connectors.kafka.KafkaClients;
import dev.mitosis.connectors.mariadb.ReplicationLink;
import dev.mitosis.connectors.mariadb.ReplicationLinks;
import dev.mitosis.connectors.mariadb.ServerConnector;
import dev.mitosis.connectors.routing.RoutingStore;
import dev.mitosis.connectors.routing.ShardMapVersion;
import dev.mitosis.connectors.shard.ResiduePredicates;
import dev.mitosis.connectors.sql.SqlFragment;
import dev.mitosis.connectors.sql.SqlIdentifiers;
import dev.mitosis.connectors.topology.MitosisConfig;
import dev.mitosis.connectors.topology.Pair;
import dev.mitosis.connectors.topology.Server;
import dev.mitosis.connectors.topology.TableRule;
import dev.mitosis.purger.InterlockResult;
import dev.mitosis.purger.PurgeHistory;
import dev.mitosis.purger.ReplicationCutInterlock;
import dev.mitosis.purger.proof.PurgeCheckpoints;
import dev.mitosis.verifier.Gate;
import dev.mitosis.verifier.KafkaVerdictStore;
import dev.mitosis.verifier.PairReport;
import dev.mitosis.verifier.VerifySettings;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The evidence of a running fleet, read from where each step leaves it: the verdict store (verified), the routing
 * topic (flipped), {@code SHOW ALL SLAVES STATUS} on both servers of each old pair (cut, by the purge's own
 * replication-cut interlock) and on each new shard (re-paired), the purge checkpoints and the residue still there
 * (purging).
 */
final class FleetEvidence implements SplitEvidence {

    private static final Duration READ_TIMEOUT = Duration.ofSeconds(5);
    /** A first read of a topic connects, finds the leader and reads to the end: slow on a loaded broker. */
    private static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(30);

    private final MitosisConfig config;

    FleetEvidence(MitosisConfig config) {
        this.config = config;
    }

    @Override
    public Optional<ShardMapVersion> shardMap() {
        RoutingStore store = new RoutingStore(new KafkaClients(config.kafka()), KAFKA_TIMEOUT);
        return store.latest();
    }

    @Override
    public List<Gate.Decision> gates() {
        List<Gate.Decision> gates = new ArrayList<>();
        try (KafkaVerdictStore store = new KafkaVerdictStore(config.kafka())) {
            for (Pair pair : config.topology().pairs()) {
                Optional<PairReport> latest = store.latest(pair.number());
                gates.add(Gate.decide(pair.number(), latest, Instant.now(), VerifySettings.from(config).maxAge()));
            }
        }
        return gates;
    }

    @Override
    public InterlockResult cut(Pair pair) {
        return new ReplicationCutInterlock(endpoint(pair.a()), endpoint(pair.a0())).check();
    }

    private ReplicationCutInterlock.Endpoint endpoint(Server server) {
        ServerConnector connector = new ServerConnector(server, READ_TIMEOUT, READ_TIMEOUT.multipliedBy(6));
        return new ReplicationCutInterlock.Endpoint(server.name(), server.host(), server.port(), connector::open);
    }

    @Override
    public List<String> newPartnerLinks(Server server, Server oldSibling) throws SQLException {
        List<String> links = new ArrayList<>();
        try (Connection c = new ServerConnector(server, READ_TIMEOUT, READ_TIMEOUT.multipliedBy(6)).open()) {
            for (ReplicationLink link : ReplicationLinks.of(c)) {
                boolean fromSibling = link.sourcePort() == oldSibling.port() && sameHost(link.sourceHost(), oldSibling.host());
                if (!fromSibling && link.healthy()) {
                    links.add(link.sourceHost() + ":" + link.sourcePort());
                }
            }
        }
        return links;
    }

    @Override
    public Purge purge(int shard) throws SQLException {
        Server server = config.topology().serverOfNewShard(shard);
        int oldShard = config.topology().shardMap().oldShardOfNewShard(shard);
        ResiduePredicates predicates = new ResiduePredicates(config.topology().shardMap());
        try (Connection c = new ServerConnector(server, READ_TIMEOUT, READ_TIMEOUT.multipliedBy(60)).open()) {
            boolean started = PurgeHistory.of(c).isPresent();
            long deleted = 0;
            int done = 0;
            long remaining = 0;
            int tables = 0;
            for (TableRule rule : shardedTables(c)) {
                tables++;
                if (started) {
                    // Per table, so a table purged in key ranges counts its ranges before its own row is written.
                    Optional<PurgeCheckpoints.Recorded> recorded =
                            PurgeCheckpoints.of(c, shard, rule.schema(), rule.table());
                    deleted += recorded.map(PurgeCheckpoints.Recorded::rowsDeleted).orElse(0L);
                    done += recorded.filter(PurgeCheckpoints.Recorded::done).isPresent() ? 1 : 0;
                }
                SqlFragment residue = predicates.purgeableOn(rule.shardKey().orElseThrow(), oldShard, server.role());
                try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM "
                        + SqlIdentifiers.quote(rule.schema(), rule.table()) + " WHERE " + residue.sql())) {
                    residue.bind(ps, 1);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        remaining += rs.getLong(1);
                    }
                }
            }
            return new Purge(started, deleted, remaining, done, tables);
        }
    }

    /** The base tables of the configured schemas that have their shard-key column, as the purger plans them. */
    private List<TableRule> shardedTables(Connection c) throws SQLException {
        List<TableRule> rules = new ArrayList<>();
        for (String schema : config.schemas()) {
            try (PreparedStatement ps = c.prepareStatement("SELECT t.table_name, c.column_name FROM information_schema.tables t"
                    + " JOIN information_schema.columns c ON c.table_schema = t.table_schema AND c.table_name = t.table_name"
                    + " WHERE t.table_schema = ? AND t.table_type = 'BASE TABLE' ORDER BY t.table_name")) {
                ps.setString(1, schema);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        TableRule rule = config.tableRule(schema, rs.getString(1));
                        if (!rule.broadcast() && rule.shardKey().orElseThrow().equalsIgnoreCase(rs.getString(2))) {
                            rules.add(rule);
                        }
                    }
                }
            }
        }
        return rules;
    }

    private static boolean sameHost(String a, String b) {
        List<String> loopback = List.of("127.0.0.1", "localhost", "::1");
        return a != null && b != null && (a.equalsIgnoreCase(b) || (loopback.contains(a) && loopback.contains(b)));
    }
}
