package dev.mitosis.ops.sandbox;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.LongConsumer;

/**
 * Deterministic sample rows for {@code app.accounts}: uids {@code 1..R} with a few edge uids in their place
 * (0, negatives, the BIGINT extremes) so the residue arithmetic is exercised from the first run, and values that
 * stress the row encoding: NULLs, empty strings, multi-byte text, trailing spaces, binary bytes, fractional seconds.
 */
public final class SampleData {

    /** Edge uids that replace the first sequential ones; each row still has a distinct uid. */
    static final long[] EDGE_UIDS = {0, -1, -2, -7, -1_000_003, Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE + 1};
    private static final int ROWS_PER_STATEMENT = 500;
    private static final String[] NAMES = {"Ada", "Zoë", "Łukasz", "Søren", "Ngũgĩ", "渡辺", "Åsa", "O'Brien", "name ", ""};
    private static final String[] STATUSES = {"active", "suspended", "closed"};

    private final long seed;

    public SampleData(long seed) {
        this.seed = seed;
    }

    /** The uid of sample row {@code index} (0-based) of {@code rows}. */
    public static long uid(long index) {
        return index < EDGE_UIDS.length ? EDGE_UIDS[(int) index] : index + 1;
    }

    /** The uids of {@code rows} sample rows that belong to old shard {@code pair} of {@code pairs} (floorMod). */
    public static List<Long> uidsOfPair(long rows, int pair, int pairs) {
        List<Long> uids = new ArrayList<>();
        for (long i = 0; i < rows; i++) {
            if (Math.floorMod(uid(i), pairs) == pair) {
                uids.add(uid(i));
            }
        }
        return uids;
    }

    /** Inserts the broadcast rows; run on one server of every pair. */
    static void insertCountries(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SampleSchema.INSERT_COUNTRY)) {
            for (String[] country : SampleSchema.COUNTRIES) {
                ps.setString(1, country[0]);
                ps.setString(2, country[1]);
                ps.setString(3, country[2]);
                ps.setTimestamp(4, Timestamp.valueOf(LocalDateTime.of(2024, 1, 1, 0, 0, 0, 123_456_000)));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** Inserts the accounts of {@code uids}, {@value #ROWS_PER_STATEMENT} rows per statement and transaction. */
    void insertAccounts(Connection c, List<Long> uids, LongConsumer progress) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            for (int from = 0; from < uids.size(); from += ROWS_PER_STATEMENT) {
                List<Long> batch = uids.subList(from, Math.min(uids.size(), from + ROWS_PER_STATEMENT));
                try (PreparedStatement ps = c.prepareStatement(insertStatement(batch.size()))) {
                    int p = 1;
                    for (long uid : batch) {
                        p = bindAccount(ps, p, uid);
                    }
                    ps.executeUpdate();
                }
                c.commit();
                progress.accept(batch.size());
            }
        } finally {
            c.setAutoCommit(autoCommit);
        }
    }

    private static String insertStatement(int rows) {
        String one = "(" + "?, ".repeat(SampleSchema.ACCOUNT_PARAMS - 1) + "?)";
        return "INSERT INTO `app`.`accounts` " + SampleSchema.INSERT_ACCOUNT_COLUMNS + " VALUES "
                + String.join(", ", java.util.Collections.nCopies(rows, one));
    }

    private int bindAccount(PreparedStatement ps, int p, long uid) throws SQLException {
        Random r = new Random(seed * 31 + uid);
        boolean sparse = r.nextInt(10) == 0;
        String name = NAMES[r.nextInt(NAMES.length)];
        ps.setLong(p++, uid);
        ps.setString(p++, sparse ? null : "user" + uid + "@example.org");
        ps.setString(p++, sparse ? null : name);
        ps.setString(p++, sparse ? null : name + " writes about " + Long.toHexString(r.nextLong()));
        ps.setBigDecimal(p++, sparse ? null : BigDecimal.valueOf(r.nextLong() % 100_000_000_000L, 6));
        if (sparse) {
            ps.setNull(p++, java.sql.Types.DOUBLE);
            ps.setNull(p++, java.sql.Types.FLOAT);
        } else {
            ps.setDouble(p++, r.nextGaussian() * 1e6);
            ps.setFloat(p++, r.nextFloat());
        }
        ps.setString(p++, STATUSES[r.nextInt(STATUSES.length)]);
        ps.setBoolean(p++, r.nextBoolean());
        ps.setString(p++, sparse ? null : SampleSchema.COUNTRIES.get(r.nextInt(SampleSchema.COUNTRIES.size()))[0]);
        ps.setObject(p++, sparse ? null : LocalDate.of(1950 + r.nextInt(60), 1 + r.nextInt(12), 1 + r.nextInt(28)));
        LocalDateTime created = LocalDateTime.of(2020, 1, 1, 0, 0).plusSeconds(r.nextInt(150_000_000)).plusNanos(r.nextInt(1_000_000) * 1000L);
        ps.setObject(p++, created);
        ps.setObject(p++, created.plusDays(r.nextInt(100)).withNano(r.nextInt(1000) * 1_000_000));
        byte[] token = new byte[16];
        r.nextBytes(token);
        ps.setBytes(p++, sparse ? null : token);
        byte[] avatar = new byte[r.nextInt(64)];
        r.nextBytes(avatar);
        ps.setBytes(p++, sparse ? null : avatar);
        ps.setString(p++, sparse ? null : "{\"lang\":\"" + (r.nextBoolean() ? "en" : "de") + "\",\"n\":" + r.nextInt(100) + "}");
        return p;
    }
}
