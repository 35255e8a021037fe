package dev.mitosis.purger.undo;

/** Hears how an undo goes; the command prints it on stderr. */
public interface UndoListener {

    /** Says nothing. */
    UndoListener NONE = new UndoListener() {
    };

    /** One step, in a line. */
    default void said(String line) {
    }

    /** After each chunk, totals so far: purge deletes read from the archive, rows restored, rows skipped. */
    default void chunk(long deletesRead, long restored, long skipped) {
    }
}
