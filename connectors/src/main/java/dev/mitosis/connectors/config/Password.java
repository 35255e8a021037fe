package dev.mitosis.connectors.config;

import java.util.Objects;

/**
 * A secret read from config. {@link #toString()} is masked, so a password that ends up in a log line, an
 * exception or a rendered config shows as {@value #HIDDEN}; only {@link #value()} reads it.
 */
public final class Password {

    /** What a password shows wherever it is printed. */
    public static final String HIDDEN = "[hidden]";

    private final String value;

    /** Wraps a secret; the value may be empty but not null. */
    public Password(String value) {
        this.value = Objects.requireNonNull(value, "password");
    }

    /** The secret itself: pass it to the driver, never to a log or a message. */
    public String value() {
        return value;
    }

    /** Always {@value #HIDDEN}. */
    @Override
    public String toString() {
        return HIDDEN;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Password password && password.value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }
}
