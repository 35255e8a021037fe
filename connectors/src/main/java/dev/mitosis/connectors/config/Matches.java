package dev.mitosis.connectors.config;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A STRING key whose whole value matches a pattern, or a LIST key each of whose elements does.
 */
public final class Matches implements Validator {

    private final Pattern pattern;
    private final String description;

    private Matches(Pattern pattern, String description) {
        this.pattern = pattern;
        this.description = description;
    }

    /**
     * @param regex       a regular expression the whole value must match
     * @param description the valid values in words, e.g. {@code a server name: letters, digits, '_', '.', '-'}
     */
    public static Matches pattern(String regex, String description) {
        return new Matches(Pattern.compile(regex), description);
    }

    @Override
    public Optional<String> check(Object value) {
        if (value instanceof List<?> list) {
            return list.stream()
                    .filter(element -> !pattern.matcher((String) element).matches())
                    .findFirst()
                    .map(bad -> "has " + ConfigValueText.render(bad) + ", which does not match " + pattern.pattern());
        }
        return pattern.matcher((String) value).matches()
                ? Optional.empty()
                : Optional.of("does not match " + pattern.pattern());
    }

    @Override
    public String describe() {
        return description;
    }
}
