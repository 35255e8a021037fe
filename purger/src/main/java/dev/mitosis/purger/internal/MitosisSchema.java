package dev.mitosis.purger.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The purger's own tables in the {@code _mitosis} schema of the purged server.
 *
 * <p>They are created and written with the binlog on, on purpose. A checkpoint row is written in the same
 * transaction as its chunk's DELETE, and that DELETE must reach the server's new HA partner (and capture): a
 * session cannot switch {@code sql_log_bin} inside a transaction, and the partner holding the same checkpoint is
 * what lets a purge resume after a failover to it. The rows cannot break the partner: only this server's purger
 * writes them (keyed by new shard, the heartbeat by server name), the DDL is {@code IF NOT EXISTS}, and the old
 * sibling never receives them because the replication-cut interlock holds before the first write.
 */
public final class MitosisSchema {

    /** The schema; no table of the fleet's own lives there. */
    public static final String SCHEMA = "_mitosis";

    private MitosisSchema() {
    }

    /** Creates the schema and the purger's tables if missing. */
    public static void ensure(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE IF NOT EXISTS `_mitosis`");
            s.execute("CREATE TABLE IF NOT EXISTS `_mitosis`.`purge_checkpoint` ("
                    + " new_shard INT NOT NULL,"
                    + " schema_name VARCHAR(64) NOT NULL,"
                    + " table_name VARCHAR(64) NOT NULL,"
                    + " last_key TEXT NULL,"
                    + " rows_deleted BIGINT UNSIGNED NOT NULL DEFAULT 0,"
                    + " chunks BIGINT UNSIGNED NOT NULL DEFAULT 0,"
                    + " done TINYINT NOT NULL DEFAULT 0,"
                    + " updated_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),"
                    + " PRIMARY KEY (new_shard, schema_name, table_name)) ENGINE=InnoDB");
            // One key range of a table purged by several processes at once; the table's own row is written when
            // every range is done.
            s.execute("CREATE TABLE IF NOT EXISTS `_mitosis`.`purge_range_checkpoint` ("
                    + " new_shard INT NOT NULL,"
                    + " schema_name VARCHAR(64) NOT NULL,"
                    + " table_name VARCHAR(64) NOT NULL,"
                    + " range_parts INT NOT NULL,"
                    + " range_index INT NOT NULL,"
                    + " last_key TEXT NULL,"
                    + " rows_deleted BIGINT UNSIGNED NOT NULL DEFAULT 0,"
                    + " chunks BIGINT UNSIGNED NOT NULL DEFAULT 0,"
                    + " done TINYINT NOT NULL DEFAULT 0,"
                    + " updated_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),"
                    + " PRIMARY KEY (new_shard, schema_name, table_name, range_parts, range_index)) ENGINE=InnoDB");
            s.execute("CREATE TABLE IF NOT EXISTS `_mitosis`.`heartbeat` ("
                    + " server_name VARCHAR(128) NOT NULL PRIMARY KEY,"
                    + " written_at_ms BIGINT NOT NULL) ENGINE=InnoDB");
        }
    }
}
