package dev.mitosis.connectors.events;

import java.util.Comparator;
import java.util.Objects;

/**
 * The stable identity of a change event: the server whose binlog held it, the transaction's GTID and binlog place,
 * and the row's place within that transaction. A replayed event after a capture restart has the same identity; the
 * same transaction read from the peer's binlog has the same GTID but another server and binlog place.
 *
 * <p>Within one server, identities order as the binlog does ({@link #BINLOG_ORDER}). Snapshot rows ({@code op=r})
 * have no binlog place of their own: their file is empty.
 *
 * @param server             the server the event was read from
 * @param gtid               {@code domain-server-sequence}, empty for a snapshot row
 * @param binlogFile         the binlog file of the transaction
 * @param binlogPosition     where the transaction begins in that file
 * @param eventInTransaction binlog events of the transaction before this row's (as Debezium counts them to resume)
 * @param rowInEvent         the row's place in its rows event (as Debezium counts it to resume)
 */
public record EventId(String server, String gtid, String binlogFile, long binlogPosition, long eventInTransaction,
                      long rowInEvent) {

    /** Binlog order of one server's events. File names share a base and a zero-padded number: they order as text. */
    public static final Comparator<EventId> BINLOG_ORDER = Comparator.comparing(EventId::binlogFile)
            .thenComparingLong(EventId::binlogPosition).thenComparingLong(EventId::eventInTransaction)
            .thenComparingLong(EventId::rowInEvent);

    public EventId {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(gtid, "gtid");
        Objects.requireNonNull(binlogFile, "binlogFile");
    }

    /** Whether this event came from a binlog (every op but a snapshot read). */
    public boolean fromBinlog() {
        return !binlogFile.isEmpty();
    }

    /** {@code server/gtid/file:position/event:row}, also a good de-duplication key. */
    @Override
    public String toString() {
        return server + "/" + gtid + "/" + binlogFile + ":" + binlogPosition + "/" + eventInTransaction + ":"
                + rowInEvent;
    }
}
