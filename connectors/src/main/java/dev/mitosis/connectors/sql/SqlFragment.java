package dev.mitosis.connectors.sql;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A piece of SQL text with {@code ?} placeholders and the values to bind to them, in order.
 *
 * <p>Values are never concatenated into the text; they travel beside it and are bound by {@link #bind}. As values
 * are never literals, every {@code ?} in the text is a placeholder, and the constructor checks the count.
 *
 * @param sql    SQL text whose {@code ?} placeholders match {@code params} one to one
 * @param params the values for the placeholders, in order (an unmodifiable copy)
 */
public record SqlFragment(String sql, List<Object> params) {

    /** Copies {@code params} and checks that it has one value per placeholder. */
    public SqlFragment {
        Objects.requireNonNull(sql, "sql");
        // Nulls are legal bind values, so List.copyOf (which rejects them) is not used.
        params = Collections.unmodifiableList(new ArrayList<>(Objects.requireNonNull(params, "params")));
        long placeholders = sql.chars().filter(c -> c == '?').count();
        if (placeholders != params.size()) {
            throw new IllegalArgumentException(
                    "SQL has " + placeholders + " placeholders but " + params.size() + " parameters: " + sql);
        }
    }

    /** A fragment from text and its parameter values, in placeholder order. */
    public static SqlFragment of(String sql, Object... params) {
        return new SqlFragment(sql, Arrays.asList(params));
    }

    /** Both conditions: {@code (this) AND (other)}, parameters concatenated in order. */
    public SqlFragment and(SqlFragment other) {
        List<Object> all = new ArrayList<>(params);
        all.addAll(other.params);
        return new SqlFragment("(" + sql + ") AND (" + other.sql + ")", all);
    }

    /**
     * Binds the parameters to a statement, starting at {@code firstIndex}.
     *
     * @return the index of the next free placeholder, for binding what follows this fragment
     */
    public int bind(PreparedStatement statement, int firstIndex) throws SQLException {
        int index = firstIndex;
        for (Object param : params) {
            statement.setObject(index++, param);
        }
        return index;
    }
}
