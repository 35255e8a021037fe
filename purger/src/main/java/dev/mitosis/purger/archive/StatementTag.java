package dev.mitosis.purger.archive;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The comment the purger ({@code mitosis-purge}) and the undo ({@code mitosis-undo}) put in each statement they
 * run, {@code /* mitosis-purge shard=S table=db.t *}{@code /}. The server copies the statement into the binlog's
 * Annotate_rows event and capture passes it on as {@link dev.mitosis.connectors.events.ChangeEvent#statement()}:
 * that is how a reader of the stream tells the purger's deletes from the application's.
 *
 * @param kind     {@code mitosis-purge} or {@code mitosis-undo}
 * @param newShard the new shard the statement ran for
 * @param table    {@code schema.table}, with characters outside {@code [A-Za-z0-9_.$-]} replaced by {@code _}
 */
public record StatementTag(String kind, int newShard, String table) {

    /** The purger's deletes. */
    public static final String PURGE = "mitosis-purge";
    /** The undo's re-inserts. */
    public static final String UNDO = "mitosis-undo";

    private static final Pattern TAG = Pattern.compile("/\\*\\s*(mitosis-purge|mitosis-undo) shard=(\\d+)"
            + " table=([A-Za-z0-9_.$-]+)\\s*\\*/");

    /** A tag of {@code kind} for {@code qualifiedTable}, as a comment. */
    public static String comment(String kind, int newShard, String qualifiedTable) {
        return "/* " + kind + " shard=" + newShard + " table=" + sanitize(qualifiedTable) + " */";
    }

    /** The first tag in {@code statement}, if it has one. */
    public static Optional<StatementTag> in(String statement) {
        if (statement == null) {
            return Optional.empty();
        }
        Matcher m = TAG.matcher(statement);
        if (!m.find()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new StatementTag(m.group(1), Integer.parseInt(m.group(2)), m.group(3)));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Whether this is the purger's tag. */
    public boolean purge() {
        return PURGE.equals(kind);
    }

    /** Whether the tag names {@code qualifiedTable} (as the tag spells it). */
    public boolean names(String qualifiedTable) {
        return table.equals(sanitize(qualifiedTable));
    }

    private static String sanitize(String qualifiedTable) {
        return qualifiedTable.replaceAll("[^A-Za-z0-9_.$-]", "_");
    }
}
