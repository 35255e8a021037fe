package dev.mitosis.purger.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.type.TypeFactory;
import dev.mitosis.connectors.work.KeySplitter;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The primary-key columns of a table, in key order, with how each value is read, bound and checkpointed.
 *
 * @param columns the column names
 * @param kinds   the kind of each column
 */
public record PrimaryKey(List<String> columns, List<KeyKind> kinds) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SPLIT_BYTES_PREFIX = KeySplitter.BYTES_PREFIX;

    /** Copies the lists and checks they match. */
    public PrimaryKey {
        columns = List.copyOf(columns);
        kinds = List.copyOf(kinds);
        if (columns.isEmpty() || columns.size() != kinds.size()) {
            throw new IllegalArgumentException("a primary key needs columns, one kind each: " + columns + " " + kinds);
        }
    }

    /** The number of columns. */
    public int size() {
        return columns.size();
    }

    /** Reads the key of the current row from columns {@code 1..size()}. */
    public List<Object> read(ResultSet rs) throws SQLException {
        List<Object> key = new ArrayList<>(size());
        for (int i = 0; i < size(); i++) {
            key.add(kinds.get(i).read(rs, i + 1));
        }
        return key;
    }

    /** Binds column {@code column}'s value of {@code key} at {@code index}. */
    public void bind(PreparedStatement ps, int index, int column, List<Object> key) throws SQLException {
        kinds.get(column).bind(ps, index, key.get(column));
    }

    /** The key as a JSON array of strings, for the checkpoint row. */
    public String encode(List<Object> key) {
        List<String> texts = new ArrayList<>(size());
        for (int i = 0; i < size(); i++) {
            texts.add(kinds.get(i).encode(key.get(i)));
        }
        try {
            return JSON.writeValueAsString(texts);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode a key", e);
        }
    }

    /**
     * A key from a key split's text values ({@link dev.mitosis.connectors.work.KeySplit}): integers and decimals as
     * the server prints them, binary columns as {@code b64:<base64>}, anything else as the server's text.
     *
     * @throws IllegalArgumentException naming the column and value when a value does not fit its column
     */
    public List<Object> fromSplitText(List<String> texts) {
        if (texts.size() != size()) {
            throw new IllegalArgumentException("key split bound " + texts + " has " + texts.size()
                    + " columns, the primary key " + columns + " has " + size()
                    + ": the table changed since the split was stored");
        }
        List<Object> key = new ArrayList<>(size());
        for (int i = 0; i < size(); i++) {
            String text = texts.get(i);
            try {
                key.add(switch (kinds.get(i)) {
                    case INTEGER -> new BigInteger(text);
                    case DECIMAL -> new BigDecimal(text);
                    case BYTES -> {
                        if (!text.startsWith(SPLIT_BYTES_PREFIX)) {
                            throw new IllegalArgumentException("a binary value must start with " + SPLIT_BYTES_PREFIX);
                        }
                        yield Base64.getDecoder().decode(text.substring(SPLIT_BYTES_PREFIX.length()));
                    }
                    case TEXT -> text;
                });
            } catch (IllegalArgumentException | NullPointerException e) {
                throw new IllegalArgumentException("key split bound " + texts + ": value '" + text + "' of column "
                        + columns.get(i) + " is not a " + kinds.get(i) + " value (" + e.getMessage() + ")", e);
            }
        }
        return key;
    }

    /** A key from its checkpoint text. */
    public List<Object> decode(String json) {
        List<String> texts;
        try {
            texts = JSON.readValue(json, TypeFactory.defaultInstance().constructCollectionType(List.class, String.class));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("checkpoint key " + json + " is not a JSON array of strings", e);
        }
        if (texts.size() != size()) {
            throw new IllegalStateException("checkpoint key " + json + " has " + texts.size() + " columns, the primary key "
                    + columns + " has " + size() + ": the table changed since the checkpoint");
        }
        List<Object> key = new ArrayList<>(size());
        for (int i = 0; i < size(); i++) {
            key.add(kinds.get(i).decode(texts.get(i)));
        }
        return key;
    }
}
