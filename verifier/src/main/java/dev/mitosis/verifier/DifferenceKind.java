package dev.mitosis.verifier;

/** How one row differs between the two servers of a pair. */
public enum DifferenceKind {
    /** The key exists on A only. */
    ONLY_ON_A,
    /** The key exists on A0 only. */
    ONLY_ON_A0,
    /** The key exists on both, some columns hold different bytes. */
    COLUMNS_DIFFER
}
