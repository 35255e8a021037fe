package dev.mitosis.verifier.internal;

import dev.mitosis.connectors.sql.SqlIdentifiers;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Chunk bounds of a table keyed by one integer column, by arithmetic on the key instead of a seek: the next upper
 * bound is the lower one plus the rows wanted over the rows per key value the last chunk saw. A seek reads every key
 * of the chunk once more on A before the checksum, alone; this reads nothing. Which bounds are chosen never decides
 * a verdict — consecutive ranges cover every key whatever they are, and the last is open above — only how many rows
 * a chunk holds. On keys spread unevenly (a chunk holding far more rows than asked) the table goes back to seeks.
 */
final class IntegerKeySteps {

    private static final Set<String> INTEGER_TYPES = Set.of("tinyint", "smallint", "mediumint", "int", "bigint");
    /** A chunk this many times fuller than asked means the keys are not spread evenly enough to step over. */
    private static final int UNEVEN = 4;

    private final BigDecimal highest;
    /** The key span of the last chunk, and the rows it held (or, before any, was estimated to hold). */
    private BigDecimal step;
    private long stepRows;
    private boolean usable = true;

    IntegerKeySteps(BigDecimal highest, BigDecimal step, long stepRows) {
        this.highest = highest;
        this.step = step;
        this.stepRows = stepRows;
    }

    /**
     * Steps for {@code shape} if its key is one integer column: the highest key on either server now bounds the
     * stepping (the chunk reaching it is left open above, for rows written later or beyond it), and the first step
     * assumes the keys {@code [lowest, highest]} are spread evenly over the estimated rows.
     */
    static Optional<IntegerKeySteps> of(BothServers servers, TableShape shape, int firstRows) throws SQLException {
        if (shape.keyColumns().size() != 1
                || !INTEGER_TYPES.contains(shape.keyColumns().get(0).dataType().toLowerCase(java.util.Locale.ROOT))) {
            return Optional.empty();
        }
        String key = SqlIdentifiers.quote(shape.keyColumns().get(0).name());
        String sql = "SELECT MIN(" + key + "), MAX(" + key + "), COUNT(*) FROM (SELECT " + key + " FROM "
                + shape.quotedName() + " ORDER BY " + key + " LIMIT 1000) AS first_keys";
        String maxSql = "SELECT MAX(" + key + ") FROM " + shape.quotedName();
        BothServers.Both<BigDecimal> max = servers.run(s -> one(s, maxSql));
        if (max.a() == null && max.a0() == null) {
            return Optional.empty();
        }
        BigDecimal highest = max.a() == null ? max.a0() : max.a0() == null ? max.a() : max.a().max(max.a0());
        // The density of the first keys on A gives the first step.
        BigDecimal step = BigDecimal.valueOf(firstRows);
        try (Statement s = servers.a().connection().createStatement(); ResultSet rs = s.executeQuery(sql)) {
            if (rs.next() && rs.getLong(3) > 1) {
                BigDecimal span = rs.getBigDecimal(2).subtract(rs.getBigDecimal(1)).add(BigDecimal.ONE);
                step = span.multiply(BigDecimal.valueOf(firstRows))
                        .divide(BigDecimal.valueOf(rs.getLong(3)), 0, RoundingMode.CEILING).max(BigDecimal.ONE);
            }
        }
        return Optional.of(new IntegerKeySteps(highest, step, firstRows));
    }

    private static BigDecimal one(ServerSession s, String sql) throws SQLException {
        try (Statement st = s.connection().createStatement(); ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getBigDecimal(1) : null;
        }
    }

    /** Whether the keys seen so far are spread evenly enough to go on stepping. */
    boolean usable() {
        return usable;
    }

    /**
     * The upper bound of the chunk after {@code lower} meant to hold about {@code rows} rows, or empty when it
     * reaches the highest key: the last chunk, open above. (The first chunk, open below, is found by a seek: the
     * lowest key is not known here.)
     */
    Optional<KeyBound> upper(KeyBound lower, int rows) {
        BigDecimal from = (BigDecimal) lower.values().get(0);
        BigDecimal doubled = step.multiply(BigDecimal.valueOf(2));
        BigDecimal next = stepRows == 0 ? doubled : step.multiply(BigDecimal.valueOf(rows))
                .divide(BigDecimal.valueOf(stepRows), 0, RoundingMode.CEILING);
        // At most doubling per chunk, so a run of sparse chunks does not leap over a dense stretch at once.
        step = next.min(doubled).max(BigDecimal.ONE);
        BigDecimal to = from.add(step);
        return to.compareTo(highest) >= 0 ? Optional.empty() : Optional.of(new KeyBound(List.of(to)));
    }

    /** Records that the last stepped chunk, asked for {@code asked} rows, held {@code held}. */
    void held(int asked, long held) {
        stepRows = held;
        if (held > (long) asked * UNEVEN) {
            usable = false;
        }
    }
}
