package dev.mitosis.connectors.topology;

import dev.mitosis.connectors.config.Validator;
import dev.mitosis.connectors.sql.SqlIdentifiers;

import java.util.Optional;

/** A STRING that {@link SqlIdentifiers} can quote as a column name. */
final class ColumnName implements Validator {

    @Override
    public Optional<String> check(Object value) {
        return SqlIdentifiers.problemWith((String) value);
    }

    @Override
    public String describe() {
        return "a column name (not empty, no NUL character)";
    }
}
