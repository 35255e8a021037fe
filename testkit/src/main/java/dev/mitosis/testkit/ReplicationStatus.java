package dev.mitosis.testkit;

/**
 * One replication connection of a server, as {@code SHOW ALL SLAVES STATUS} reports it.
 *
 * @param secondsBehindMaster null when the server does not know (SQL thread stopped)
 */
public record ReplicationStatus(
        String connectionName,
        String masterHost,
        int masterPort,
        boolean ioRunning,
        boolean sqlRunning,
        String lastIoError,
        String lastSqlError,
        Long secondsBehindMaster,
        String gtidIoPos) {

    public boolean healthy() {
        return ioRunning && sqlRunning && lastIoError.isEmpty() && lastSqlError.isEmpty();
    }

    public String describe() {
        return "from " + masterHost + ":" + masterPort + " io=" + (ioRunning ? "Yes" : "No")
                + " sql=" + (sqlRunning ? "Yes" : "No")
                + (lastIoError.isEmpty() ? "" : " io_error='" + lastIoError + "'")
                + (lastSqlError.isEmpty() ? "" : " sql_error='" + lastSqlError + "'")
                + " behind=" + (secondsBehindMaster == null ? "NULL" : secondsBehindMaster + "s");
    }
}
