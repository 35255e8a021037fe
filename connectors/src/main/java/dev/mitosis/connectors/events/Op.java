package dev.mitosis.connectors.events;

/** What a change did to its row. */
public enum Op {
    /** An INSERT: after-image only. */
    CREATE("c"),
    /** An UPDATE: before- and after-image. */
    UPDATE("u"),
    /** A DELETE: before-image only (the archive a purge is undone from). */
    DELETE("d"),
    /** A row read by an initial snapshot, not a write: after-image only. */
    READ("r");

    private final String code;

    Op(String code) {
        this.code = code;
    }

    /** Debezium's one-letter code. */
    public String code() {
        return code;
    }

    public static Op ofCode(String code) {
        for (Op op : values()) {
            if (op.code.equals(code)) {
                return op;
            }
        }
        throw new IllegalArgumentException("unknown change op '" + code + "' (expected c, u, d or r)");
    }
}
