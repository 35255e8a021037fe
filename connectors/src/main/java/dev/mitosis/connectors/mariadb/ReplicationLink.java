package dev.mitosis.connectors.mariadb;

/**
 * One replication connection into a server, as {@code SHOW ALL SLAVES STATUS} reports it.
 *
 * @param connectionName      '' for the default connection
 * @param sourceHost          the server it replicates from
 * @param sourcePort          its port
 * @param sourceServerId      the source's server_id (0 until the IO thread first connected)
 * @param ioRunning           Slave_IO_Running = Yes
 * @param sqlRunning          Slave_SQL_Running = Yes
 * @param lastIoError         empty when none
 * @param lastSqlError        empty when none
 * @param secondsBehindSource null when the server cannot tell (SQL thread stopped)
 * @param gtidIoPos           what the IO thread has received
 */
public record ReplicationLink(String connectionName, String sourceHost, int sourcePort, long sourceServerId,
                              boolean ioRunning,
                              boolean sqlRunning, String lastIoError, String lastSqlError, Long secondsBehindSource,
                              GtidPosition gtidIoPos) {

    /** Both threads run and neither reports an error. */
    public boolean healthy() {
        return ioRunning && sqlRunning && lastIoError.isEmpty() && lastSqlError.isEmpty();
    }

    /** One line for operators: {@code from 127.0.0.1:3306 io=Yes sql=Yes behind=0s}. */
    public String describe() {
        return "from " + sourceHost + ":" + sourcePort + " io=" + (ioRunning ? "Yes" : "No")
                + " sql=" + (sqlRunning ? "Yes" : "No")
                + (lastIoError.isEmpty() ? "" : " io_error='" + lastIoError + "'")
                + (lastSqlError.isEmpty() ? "" : " sql_error='" + lastSqlError + "'")
                + " behind=" + (secondsBehindSource == null ? "NULL" : secondsBehindSource + "s");
    }
}
