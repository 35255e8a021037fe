package dev.mitosis.verifier;

import java.util.List;
import java.util.Map;

/**
 * One row that differs between A and A0, after re-checks.
 *
 * @param table        {@code schema.table}
 * @param key          the primary key, column to value (as the server prints it)
 * @param kind         only on A, only on A0, or columns differ
 * @param columns      the differing columns (every column for a row on one side only)
 * @param valuesA      A's values of {@code columns} (null when absent or large)
 * @param valuesA0     A0's values of {@code columns}
 * @param repairOnA0   a statement that makes A0 like A (for the operator to review; never run by the verifier)
 * @param repairOnA    a statement that makes A like A0
 */
public record RowDifference(String table, Map<String, String> key, DifferenceKind kind, List<String> columns,
                            Map<String, String> valuesA, Map<String, String> valuesA0, String repairOnA0,
                            String repairOnA) {

    /**
     * The session settings the repair statements are written for: TIMESTAMP literals are UTC; strict, so that no
     * value is silently changed, with invalid and zero dates allowed so they go in as the source holds them; and
     * {@code sql_log_bin = 0}, since the other side already holds the right row and a replicated row-based insert of
     * it would stop replication there with a duplicate key.
     */
    public static final List<String> REPAIR_SESSION = List.of("SET time_zone = '+00:00'",
            "SET sql_mode = 'STRICT_ALL_TABLES,ALLOW_INVALID_DATES,NO_ENGINE_SUBSTITUTION'", "SET sql_log_bin = 0");
}
