package dev.mitosis.capture;

/** What capture reads on its first start for a server (a restart always resumes from the stored position). */
public enum SnapshotMode {
    /** No existing rows: the stream starts at the server's current GTID (the verifier reads tables directly). */
    NONE("no_data"),
    /** Every existing row of the schemas in scope first, as {@code op=r} events, then the stream. */
    INITIAL("initial");

    private final String debeziumValue;

    SnapshotMode(String debeziumValue) {
        this.debeziumValue = debeziumValue;
    }

    /** The value of Debezium's {@code snapshot.mode}. */
    public String debeziumValue() {
        return debeziumValue;
    }

    /** Parses the CLI spelling: {@code none} or {@code initial}. */
    public static SnapshotMode parse(String text) {
        return switch (text.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "none", "no_data" -> NONE;
            case "initial" -> INITIAL;
            default -> throw new IllegalArgumentException("snapshot mode '" + text + "': expected none or initial");
        };
    }
}
