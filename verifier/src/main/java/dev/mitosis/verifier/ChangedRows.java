package dev.mitosis.verifier;

import dev.mitosis.connectors.mariadb.GtidPosition;

import java.util.Set;

/**
 * The change stream as the verifier needs it: which primary keys of a table changed since a GTID position.
 *
 * <p>The seam for change-stream driven re-checks: the capture module will implement it from the Kafka change
 * topics, and the verifier will then re-check only the rows it names. Until then {@link PairVerifier} re-checks
 * differing chunks with {@code MASTER_GTID_WAIT} alone, which is sound (a chunk that keeps changing ends hot, so
 * UNKNOWN) but re-reads whole chunks instead of the changed rows.
 */
public interface ChangedRows {

    /**
     * The keys of {@code schema.table} changed on either server after {@code since}, each as its PK values in
     * key-column order rendered as the server prints them.
     */
    Set<java.util.List<String>> changedSince(String schema, String table, GtidPosition since);
}
