package dev.mitosis.connectors.config;

import java.util.List;

/**
 * A config that cannot be used, with every problem found in it (not only the first), so an operator fixes the
 * file in one pass. The CLI exits with status 2 and prints {@link #problems()}, one per line.
 */
public class ConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String source;
    private final transient List<ConfigProblem> problems;

    /**
     * @param source   where the config came from (a file path), named at the head of the message
     * @param problems at least one problem
     */
    public ConfigException(String source, List<ConfigProblem> problems) {
        super(message(source, problems));
        this.source = source;
        this.problems = List.copyOf(problems);
    }

    /** A single problem of a config from {@code source}. */
    public ConfigException(String source, ConfigProblem problem) {
        this(source, List.of(problem));
    }

    /** Where the config came from, e.g. the path of mitosis.yaml. */
    public String source() {
        return source;
    }

    /** Every problem found, in the order of the file. */
    public List<ConfigProblem> problems() {
        return problems;
    }

    private static String message(String source, List<ConfigProblem> problems) {
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a ConfigException needs at least one problem");
        }
        StringBuilder text = new StringBuilder(source).append(": ").append(problems.size())
                .append(problems.size() == 1 ? " config problem" : " config problems");
        for (ConfigProblem problem : problems) {
            text.append(System.lineSeparator()).append("  ").append(problem);
        }
        return text.toString();
    }
}
