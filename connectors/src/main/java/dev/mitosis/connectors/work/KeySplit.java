package dev.mitosis.connectors.work;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * A table's primary keys cut into {@code parts} consecutive ranges, so one big table can be divided among
 * processes: range {@code i} of a purge or of a verification is one work unit ({@link WorkUnits#rangeUnit}).
 * Range {@code i} is {@code (boundaries[i-1], boundaries[i]]}; the first is open below and the last open above, so a
 * row written after the cut, anywhere in the key space, still falls in exactly one range. A table with fewer
 * distinct keys than parts has fewer boundaries; the ranges past the last are empty.
 *
 * @param table           {@code schema.table}
 * @param keyColumns      the primary key's columns, in key order
 * @param parts           how many ranges were asked for
 * @param boundaries      at most {@code parts - 1} keys, strictly increasing; values as text, bytes as {@code b64:...}
 * @param server          the server whose keys were read
 * @param computedAtMillis when
 */
public record KeySplit(String table, List<String> keyColumns, int parts, List<List<String>> boundaries,
                       String server, long computedAtMillis) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public KeySplit {
        if (parts < 1) {
            throw new IllegalArgumentException("parts " + parts + " must be >= 1");
        }
        if (boundaries.size() > parts - 1) {
            throw new IllegalArgumentException(boundaries.size() + " boundaries cannot cut " + table + " into "
                    + parts + " parts");
        }
        keyColumns = List.copyOf(keyColumns);
        boundaries = boundaries.stream().map(List::copyOf).toList();
    }

    /** Range {@code index} (0-based), or empty when the table had too few keys to reach it. */
    public Optional<KeySpan> span(int index) {
        if (index < 0 || index >= parts) {
            throw new IllegalArgumentException("range " + index + " of " + table + " is not among its " + parts);
        }
        if (index > boundaries.size()) {
            return Optional.empty();
        }
        Optional<List<String>> lower = index == 0 ? Optional.empty() : Optional.of(boundaries.get(index - 1));
        Optional<List<String>> upper = index == boundaries.size() ? Optional.empty() : Optional.of(boundaries.get(index));
        return Optional.of(new KeySpan(lower, upper));
    }

    public byte[] toJson() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the key split of " + table, e);
        }
    }

    public static KeySplit fromJson(byte[] json) {
        try {
            return JSON.readValue(json, KeySplit.class);
        } catch (IOException e) {
            throw new IllegalStateException("unreadable key split record: " + e.getMessage(), e);
        }
    }
}
