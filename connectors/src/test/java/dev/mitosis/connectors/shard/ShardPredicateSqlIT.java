package dev.mitosis.connectors.shard;

import dev.mitosis.connectors.sql.SqlFragment;
import dev.mitosis.connectors.sql.SqlIdentifiers;
import dev.mitosis.testkit.ItEnvironment;
import dev.mitosis.testkit.MariaDbServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigInteger;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The SQL residue predicates select, on a real MariaDB, exactly the rows the Java arithmetic says: for a signed
 * BIGINT and a BIGINT UNSIGNED column holding the edge values, a few hundred random ones and NULLs, for several
 * moduli and every residue, with client-side and with server-side prepared statements. The seed is printed;
 * replay with {@code -Dmitosis.seed=<seed>}.
 */
class ShardPredicateSqlIT {

    private static final String SCHEMA = "shardmap_it";
    private static final String TABLE = "shard_keys";
    private static final int RANDOM_ROWS = 300;
    private static final int NULL_ROWS = 5;
    private static final BigInteger TWO_TO_THE_63 = BigInteger.ONE.shiftLeft(63);
    private static final BigInteger TWO_TO_THE_64 = BigInteger.ONE.shiftLeft(64);

    private static MariaDbServer server;
    /** Id to value, per column; a null value is a NULL key (the shorter column is padded with NULLs). */
    private static final Map<String, Map<Integer, BigInteger>> ROWS = new LinkedHashMap<>();

    @BeforeAll
    static void startServerAndLoadKeys() throws SQLException {
        long seed = Long.getLong("mitosis.seed", System.nanoTime());
        System.out.println("ShardPredicateSqlIT seed=" + seed + " (replay with -Dmitosis.seed=" + seed + ")");
        server = MariaDbServer.builder("shardmap-it")
                .baseDir(ItEnvironment.dirFor(ShardPredicateSqlIT.class))
                .port(ItEnvironment.port(0))
                .build()
                .start();
        server.execute("CREATE DATABASE " + SqlIdentifiers.quote(SCHEMA),
                "CREATE TABLE " + SqlIdentifiers.quote(SCHEMA, TABLE) + " (id INT PRIMARY KEY, "
                        + "signed_key BIGINT NULL, unsigned_key BIGINT UNSIGNED NULL)");

        List<BigInteger> signed = new ArrayList<>(edges(BigInteger.valueOf(Long.MIN_VALUE),
                BigInteger.valueOf(Long.MAX_VALUE)));
        List<BigInteger> unsigned = new ArrayList<>(edges(BigInteger.ZERO, TWO_TO_THE_64.subtract(BigInteger.ONE)));
        unsigned.add(TWO_TO_THE_63);
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < RANDOM_ROWS; i++) {
            long bits = i % 3 == 0 ? random.nextLong(-1000, 1000) : random.nextLong();
            signed.add(BigInteger.valueOf(bits));
            unsigned.add(new BigInteger(Long.toUnsignedString(bits)));
        }
        for (int i = 0; i < NULL_ROWS; i++) {
            signed.add(null);
            unsigned.add(null);
        }
        insert(signed, unsigned);
    }

    /** 0, ±1 around both ends of the column's range, and values next to multiples of every modulus tested. */
    private static List<BigInteger> edges(BigInteger min, BigInteger max) {
        List<BigInteger> values = new ArrayList<>(List.of(min, min.add(BigInteger.ONE), max, max.subtract(BigInteger.ONE),
                BigInteger.ZERO, BigInteger.ONE, BigInteger.TWO));
        if (min.signum() < 0) {
            values.add(BigInteger.ONE.negate());
            values.add(BigInteger.TWO.negate());
        }
        for (int k = -3; k <= 3; k++) {
            BigInteger multiple = BigInteger.valueOf(k * 5040L); // a multiple of 1..10, 14 and 16
            for (int delta = -1; delta <= 1; delta++) {
                BigInteger value = multiple.add(BigInteger.valueOf(delta));
                if (value.compareTo(min) >= 0) {
                    values.add(value);
                }
            }
        }
        return values;
    }

    private static void insert(List<BigInteger> signed, List<BigInteger> unsigned) throws SQLException {
        Map<Integer, BigInteger> signedRows = new LinkedHashMap<>();
        Map<Integer, BigInteger> unsignedRows = new LinkedHashMap<>();
        String sql = "INSERT INTO " + SqlIdentifiers.quote(SCHEMA, TABLE)
                + " (id, signed_key, unsigned_key) VALUES (?, ?, ?)";
        try (Connection c = server.connect(SCHEMA); PreparedStatement insert = c.prepareStatement(sql)) {
            int rows = Math.max(signed.size(), unsigned.size());
            for (int id = 0; id < rows; id++) {
                BigInteger s = id < signed.size() ? signed.get(id) : null;
                BigInteger u = id < unsigned.size() ? unsigned.get(id) : null;
                insert.setInt(1, id);
                // As decimal text, so no driver type mapping can change a value on the way in.
                insert.setString(2, s == null ? null : s.toString());
                insert.setString(3, u == null ? null : u.toString());
                insert.addBatch();
                signedRows.put(id, s);
                unsignedRows.put(id, u);
            }
            insert.executeBatch();
        }
        ROWS.put("signed_key", signedRows);
        ROWS.put("unsigned_key", unsignedRows);
        assertStoredExactly();
    }

    /** Guards the test itself: the server holds exactly the values the Java side computes with. */
    private static void assertStoredExactly() throws SQLException {
        try (Connection c = server.connect(SCHEMA); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, CAST(signed_key AS CHAR), CAST(unsigned_key AS CHAR) FROM "
                     + SqlIdentifiers.quote(SCHEMA, TABLE))) {
            int count = 0;
            while (rs.next()) {
                int id = rs.getInt(1);
                assertThat(parse(rs.getString(2))).as("signed_key of row %d", id).isEqualTo(ROWS.get("signed_key").get(id));
                assertThat(parse(rs.getString(3))).as("unsigned_key of row %d", id)
                        .isEqualTo(ROWS.get("unsigned_key").get(id));
                count++;
            }
            assertThat(count).isEqualTo(ROWS.get("signed_key").size());
        }
    }

    private static BigInteger parse(String text) {
        return text == null ? null : new BigInteger(text);
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    private static Connection connect(boolean serverSidePrepare) throws SQLException {
        return DriverManager.getConnection(server.jdbcUrl(SCHEMA) + "&useServerPrepStmts=" + serverSidePrepare,
                MariaDbServer.ADMIN_USER, server.adminPassword());
    }

    private static TreeSet<Integer> select(Connection c, SqlFragment where) throws SQLException {
        TreeSet<Integer> ids = new TreeSet<>();
        try (PreparedStatement query = c.prepareStatement("SELECT id FROM " + SqlIdentifiers.quote(SCHEMA, TABLE)
                + " WHERE " + where.sql())) {
            where.bind(query, 1);
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getInt(1));
                }
            }
        }
        return ids;
    }

    private static TreeSet<Integer> expected(String column, Predicate<BigInteger> selected) {
        TreeSet<Integer> ids = new TreeSet<>();
        ROWS.get(column).forEach((id, value) -> {
            if (selected.test(value)) {
                ids.add(id);
            }
        });
        return ids;
    }

    @ParameterizedTest(name = "server-side prepare: {0}")
    @ValueSource(booleans = {false, true})
    void residueEqualsSelectsExactlyTheFloorModuloResidue(boolean serverSidePrepare) throws SQLException {
        try (Connection c = connect(serverSidePrepare)) {
            for (String column : ROWS.keySet()) {
                for (int modulus : new int[] {1, 2, 3, 4, 5, 6, 7, 8, 14, 16}) {
                    BigInteger m = BigInteger.valueOf(modulus);
                    int selectedRows = 0;
                    for (int residue = 0; residue < modulus; residue++) {
                        int r = residue;
                        TreeSet<Integer> actual = select(c, ResiduePredicates.residueEquals(column, modulus, residue));
                        assertThat(actual).as("%s mod %d = %d", column, modulus, residue)
                                .isEqualTo(expected(column, v -> v != null && v.mod(m).intValue() == r));
                        selectedRows += actual.size();
                    }
                    // Every non-NULL row has exactly one residue; NULL rows have none.
                    assertThat(selectedRows).as("%s mod %d", column, modulus)
                            .isEqualTo(ROWS.get(column).values().stream().filter(v -> v != null).count());
                }
            }
        }
    }

    @ParameterizedTest(name = "n = {0}")
    @ValueSource(ints = {1, 2, 3, 4, 7, 8})
    void shardPredicatesAgreeWithTheShardMap(int oldShards) throws SQLException {
        ShardMap map = new ShardMap(oldShards);
        ResiduePredicates predicates = new ResiduePredicates(map);
        try (Connection c = connect(false)) {
            for (String column : ROWS.keySet()) {
                for (int pair = 0; pair < oldShards; pair++) {
                    int p = pair;
                    for (ServerRole role : ServerRole.values()) {
                        assertThat(select(c, predicates.purgeableOn(column, pair, role)))
                                .as("%s purgeable on pair %d %s, n %d", column, pair, role, oldShards)
                                .isEqualTo(expected(column, v -> map.classifyValue(v, p, role) == Ownership.PURGE));
                        int newShard = map.newShardOf(pair, role);
                        assertThat(select(c, predicates.ownedByNewShard(column, newShard)))
                                .as("%s owned by new shard %d, n %d", column, newShard, oldShards)
                                .isEqualTo(expected(column, v -> map.classifyValue(v, p, role) == Ownership.KEEP));
                    }
                    assertThat(select(c, predicates.misplacedOn(column, pair)))
                            .as("%s misplaced on pair %d, n %d", column, pair, oldShards)
                            .isEqualTo(expected(column, v -> map.classifyValue(v, p, ServerRole.A) == Ownership.MISPLACED));
                    assertThat(select(c, predicates.ownedByOldShard(column, pair)))
                            .as("%s owned by old shard %d, n %d", column, pair, oldShards)
                            .isEqualTo(expected(column, v -> v != null && map.oldShardOfValue(v).getAsInt() == p));
                }
            }
        }
    }
}
