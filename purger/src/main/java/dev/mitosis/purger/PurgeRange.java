package dev.mitosis.purger;

import dev.mitosis.connectors.work.KeySpan;

import java.util.Optional;

/**
 * The part of one table a purge run deletes from: range {@code index} of the {@code parts} its primary keys were cut
 * into ({@link dev.mitosis.connectors.work.KeySplit}), so several processes purge one big table at once. Each range
 * has its own checkpoint ({@code _mitosis.purge_range_checkpoint}); the table counts as purged, in
 * {@code _mitosis.purge_checkpoint}, once every range of it is.
 *
 * @param index the range, {@code 0..parts-1}
 * @param parts how many ranges the table was cut into, at least 2 (one part is the whole table: no range)
 * @param span  its keys, or empty for a range past the table's last key at the cut (nothing to delete)
 */
public record PurgeRange(int index, int parts, Optional<KeySpan> span) {

    public PurgeRange {
        if (parts < 2 || index < 0 || index >= parts) {
            throw new IllegalArgumentException("range " + index + " of " + parts + " parts: a range needs 2 or more"
                    + " parts and an index 0.." + (parts - 1));
        }
    }

    @Override
    public String toString() {
        return "range " + index + "/" + parts + " " + span.map(Object::toString).orElse("(empty)");
    }
}
