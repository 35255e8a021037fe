package dev.mitosis.connectors.config;

import java.util.List;
import java.util.Optional;

/**
 * Checks a value that already has its key's type. Its description serves both the error message
 * ({@code ..., expected <description>}) and the "valid values" of the generated docs, so they cannot disagree.
 */
public interface Validator {

    /**
     * Why {@code value} is not valid, as a phrase that follows the value in a message.
     *
     * @param value a value of the key's type (never null)
     * @return e.g. {@code "is out of range"}, or empty when the value is valid
     */
    Optional<String> check(Object value);

    /** The valid values, as a phrase that follows "expected", e.g. {@code an integer in [1, 65535]}. */
    String describe();

    /**
     * A validator that passes when every part passes, reporting the first failure, described as a whole by
     * {@code description} (a list of the parts' descriptions rarely reads well).
     */
    static Validator allOf(String description, Validator... parts) {
        List<Validator> all = List.of(parts);
        return new Validator() {
            @Override
            public Optional<String> check(Object value) {
                return all.stream().map(part -> part.check(value)).flatMap(Optional::stream).findFirst();
            }

            @Override
            public String describe() {
                return description;
            }
        };
    }
}
