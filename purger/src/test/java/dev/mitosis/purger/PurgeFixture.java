package dev.mitosis.purger;

import dev.mitosis.connectors.shard.ShardMap;
import dev.mitosis.connectors.topology.TableRule;
import dev.mitosis.testkit.MariaDbServer;

import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.BiFunction;

/**
 * The tables the purge ITs work on, for a split of 2 old shards into 4 (pair 0: A keeps residue 0 and purges 2,
 * A0 keeps 2 and purges 0; odd uids are misplaced on pair 0):
 * {@code app.accounts} (BIGINT UNSIGNED auto-increment id, nullable signed uid with edge values),
 * {@code app.events} (composite primary key led by the shard key),
 * {@code app.big_ids} (BIGINT UNSIGNED key and shard key {@code owner}, values above 2^63),
 * {@code app.countries} (broadcast: never touched).
 */
final class PurgeFixture {

    static final ShardMap SPLIT = new ShardMap(2);
    static final BigInteger TWO_63 = BigInteger.ONE.shiftLeft(63);
    static final List<Long> EDGE_UIDS = List.of(0L, -1L, -2L, -4L, -6L, -7L, 2L, 6L, Long.MIN_VALUE,
            Long.MIN_VALUE + 2, Long.MAX_VALUE, Long.MAX_VALUE - 1, Long.MAX_VALUE - 3);
    static final List<BigInteger> BIG_OWNERS = List.of(TWO_63, TWO_63.add(BigInteger.TWO),
            BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE), BigInteger.ONE.shiftLeft(64).subtract(BigInteger.TWO),
            BigInteger.valueOf(4), BigInteger.valueOf(6), TWO_63.add(BigInteger.valueOf(4)));

    /** The table rules of the fixture: big_ids by {@code owner}, countries broadcast, the rest by uid. */
    static final BiFunction<String, String, TableRule> RULES = (schema, table) -> switch (table) {
        case "big_ids" -> TableRule.sharded(schema, table, "owner");
        case "countries" -> TableRule.broadcast(schema, table);
        default -> TableRule.sharded(schema, table, "uid");
    };

    private PurgeFixture() {
    }

    static void createTables(MariaDbServer server) {
        server.execute("CREATE DATABASE IF NOT EXISTS app",
                "CREATE TABLE app.accounts (id BIGINT UNSIGNED AUTO_INCREMENT PRIMARY KEY, uid BIGINT NULL,"
                        + " payload VARCHAR(64) NOT NULL, n INT NOT NULL, KEY (uid))",
                "CREATE TABLE app.events (uid BIGINT NOT NULL, seq INT NOT NULL, body VARCHAR(32) NOT NULL,"
                        + " PRIMARY KEY (uid, seq))",
                "CREATE TABLE app.big_ids (k BIGINT UNSIGNED NOT NULL PRIMARY KEY, owner BIGINT UNSIGNED NULL,"
                        + " note VARCHAR(16) NOT NULL)",
                "CREATE TABLE app.countries (code CHAR(2) PRIMARY KEY, uid BIGINT NULL, name VARCHAR(32))");
    }

    /** Loads {@code accounts} rows of random and edge uids (a tenth NULL), events and big ids; seeded. */
    static void load(MariaDbServer server, long seed, int accounts) throws SQLException {
        Random random = new Random(seed);
        try (Connection c = server.connect("app")) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO accounts (uid, payload, n) VALUES (?, ?, ?)")) {
                for (int i = 0; i < accounts; i++) {
                    if (i < EDGE_UIDS.size()) {
                        ps.setLong(1, EDGE_UIDS.get(i));
                    } else if (random.nextInt(10) == 0) {
                        ps.setNull(1, java.sql.Types.BIGINT);
                    } else {
                        ps.setLong(1, random.nextInt(2_000_000) - 1_000_000L);
                    }
                    ps.setString(2, "p" + random.nextInt(1_000_000));
                    ps.setInt(3, random.nextInt());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO events (uid, seq, body) VALUES (?, ?, ?)")) {
                for (int i = 0; i < 300; i++) {
                    long uid = i < EDGE_UIDS.size() ? EDGE_UIDS.get(i) : random.nextInt(400) - 200L;
                    for (int seq = 0; seq < 3; seq++) {
                        ps.setLong(1, uid);
                        ps.setInt(2, seq + 10 * i);
                        ps.setString(3, "e" + random.nextInt(1000));
                        ps.addBatch();
                    }
                }
                ps.executeBatch();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO big_ids (k, owner, note) VALUES (?, ?, ?)")) {
                for (int i = 0; i < 200; i++) {
                    BigInteger k = TWO_63.add(BigInteger.valueOf(i * 7L)).subtract(BigInteger.valueOf(700));
                    ps.setBigDecimal(1, new java.math.BigDecimal(k));
                    if (i % 13 == 12) {
                        ps.setNull(2, java.sql.Types.DECIMAL);
                    } else {
                        BigInteger owner = i < BIG_OWNERS.size() ? BIG_OWNERS.get(i)
                                : TWO_63.add(BigInteger.valueOf(random.nextInt(1000)));
                        ps.setBigDecimal(2, new java.math.BigDecimal(owner));
                    }
                    ps.setString(3, "b" + i);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            try (Statement s = c.createStatement()) {
                s.execute("INSERT INTO countries VALUES ('AT', 2, 'Austria'), ('CH', 6, 'Switzerland'),"
                        + " ('DE', 0, 'Germany')");
            }
            c.commit();
        }
    }

    /** Every row of a table as key → MD5 of the whole row, in key order. */
    static Map<String, String> rowChecksums(MariaDbServer server, String table, String key, String columns)
            throws SQLException {
        Map<String, String> rows = new TreeMap<>();
        try (Connection c = server.connect("app"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT CONCAT_WS(',', " + key + "), MD5(CONCAT_WS('|', " + columns
                     + ")) FROM " + table)) {
            while (rs.next()) {
                rows.put(rs.getString(1), rs.getString(2));
            }
        }
        return rows;
    }

    /** The shard-key values of a table as strings (null as "NULL"). */
    static List<String> keys(MariaDbServer server, String table, String column) {
        List<String> values = new ArrayList<>();
        for (String v : server.queryColumn("SELECT " + column + " FROM app." + table)) {
            values.add(v == null ? "NULL" : v);
        }
        return values;
    }

    /** What the split means for a shard-key value read as text, on the given server of pair 0. */
    static dev.mitosis.connectors.shard.Ownership classify(String value, dev.mitosis.connectors.shard.ServerRole role) {
        return "NULL".equals(value) ? dev.mitosis.connectors.shard.Ownership.NULL_KEY
                : SPLIT.classify(new BigInteger(value), 0, role);
    }

    static ServerSessions sessions(MariaDbServer server) {
        return () -> server.connect("");
    }

    /** The real replication-cut interlock of a test pair. */
    static ReplicationCutInterlock cutInterlock(dev.mitosis.testkit.DualMasterPair pair) {
        return new ReplicationCutInterlock(
                new ReplicationCutInterlock.Endpoint(pair.a().name(), pair.a().host(), pair.a().port(),
                        sessions(pair.a())),
                new ReplicationCutInterlock.Endpoint(pair.a0().name(), pair.a0().host(), pair.a0().port(),
                        sessions(pair.a0())));
    }

    /** The counts a table should have on a server of pair 0, classified in Java by the shard map. */
    static ResidueCounts expectedCounts(MariaDbServer server, String table, String column,
                                        dev.mitosis.connectors.shard.ServerRole role) {
        long purge = 0;
        long keep = 0;
        long misplaced = 0;
        long nulls = 0;
        for (String value : keys(server, table, column)) {
            switch (classify(value, role)) {
                case PURGE -> purge++;
                case KEEP -> keep++;
                case MISPLACED -> misplaced++;
                case NULL_KEY -> nulls++;
            }
        }
        return new ResidueCounts(purge, keep, misplaced, nulls);
    }
}
