package dev.mitosis.purger;

import java.util.Objects;

/**
 * The answer of one {@link Interlock}.
 *
 * @param name   the interlock's name
 * @param holds  whether the condition holds
 * @param reason why it holds or not, in a phrase an operator can act on
 */
public record InterlockResult(String name, boolean holds, String reason) {

    /** Checks all parts are present. */
    public InterlockResult {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(reason, "reason");
    }

    /** The condition holds. */
    public static InterlockResult holds(String name, String reason) {
        return new InterlockResult(name, true, reason);
    }

    /** The condition does not hold, or could not be checked. */
    public static InterlockResult refused(String name, String reason) {
        return new InterlockResult(name, false, reason);
    }

    @Override
    public String toString() {
        return name + ": " + (holds ? "holds" : "REFUSED") + " (" + reason + ")";
    }
}
