package dev.mitosis.connectors.shard;

/**
 * The place of a server in its dual-master pair, which decides the new shard it becomes at the split.
 *
 * <p>A pair is listed A first, A0 second. Old shard {@code i} becomes new shard {@code i} on A and new shard
 * {@code i + n} on A0.
 */
public enum ServerRole {
    /** The first server of a pair: after the split it is new shard {@code i} and keeps residue {@code i} of 2n. */
    A,
    /** The second server of a pair: after the split it is new shard {@code i + n} and keeps residue {@code i + n}. */
    A0;

    /** The other server of the same pair: the one whose rows this server purges. */
    public ServerRole sibling() {
        return this == A ? A0 : A;
    }

    /**
     * The role of the server listed at {@code position} in its pair.
     *
     * @param position 0 for the first server listed, 1 for the second
     */
    public static ServerRole atPosition(int position) {
        return switch (position) {
            case 0 -> A;
            case 1 -> A0;
            default -> throw new IllegalArgumentException("a pair has two servers (positions 0 and 1), not " + position);
        };
    }
}
