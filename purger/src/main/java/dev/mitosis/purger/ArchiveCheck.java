package dev.mitosis.purger;

import java.util.Objects;

/**
 * Whether the whole purge is archived: capture's status was seen to cover the purged server's GTID position taken
 * after the run's last delete committed, so every deleted row's before-image is in the change stream. Never claimed
 * without seeing it.
 *
 * @param archived whether capture's status covered {@code position} within the wait
 * @param position the server's {@code gtid_binlog_pos} after the last delete, empty if it could not be read
 * @param reason   what was seen, in a phrase
 */
public record ArchiveCheck(boolean archived, String position, String reason) {

    /** Checks all parts are present. */
    public ArchiveCheck {
        Objects.requireNonNull(position, "position");
        Objects.requireNonNull(reason, "reason");
    }

    /** Not archived, for {@code reason}. */
    public static ArchiveCheck notArchived(String position, String reason) {
        return new ArchiveCheck(false, position, reason);
    }
}
