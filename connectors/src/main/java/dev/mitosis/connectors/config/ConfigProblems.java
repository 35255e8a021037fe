package dev.mitosis.connectors.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects the problems of one config while it is parsed and checked, so that all of them are reported together.
 */
public final class ConfigProblems {

    private final List<ConfigProblem> problems = new ArrayList<>();

    /** Records a problem of the key at {@code key} (a full path). */
    public void add(String key, String message) {
        problems.add(new ConfigProblem(key, message));
    }

    /**
     * Records a bad value in the house format: {@code key: <value> <reason>, expected <expectation>}.
     *
     * @param renderedValue the value as {@link ConfigValueText} renders it (never a secret)
     * @param reason        a phrase following the value, e.g. {@code is out of range}
     * @param expected      a phrase following "expected", e.g. {@code an integer in [1, 65535]}
     */
    public void invalid(String key, String renderedValue, String reason, String expected) {
        add(key, renderedValue + " " + reason + ", expected " + expected);
    }

    /** Whether nothing has been found wrong so far. */
    public boolean isEmpty() {
        return problems.isEmpty();
    }

    /** The problems found so far, in order. */
    public List<ConfigProblem> asList() {
        return List.copyOf(problems);
    }

    /** Throws a {@link ConfigException} naming {@code source} with every problem, if any was found. */
    public void throwIfAny(String source) {
        if (!problems.isEmpty()) {
            throw new ConfigException(source, problems);
        }
    }
}
