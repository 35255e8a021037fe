package dev.mitosis.verifier;

/** What a running verification reports as it goes, for progress lines; called on the verifier's thread. */
public interface VerifyListener {

    /** Reports nothing. */
    VerifyListener NONE = new VerifyListener() {
    };

    /** A table starts (or resumes); {@code estimatedRows} is the server's estimate, for an ETA. */
    default void tableStarted(String table, long estimatedRows, long rowsDoneBefore) {
    }

    /** A chunk finished. */
    default void chunkDone(String table, long chunkRows, long tableRowsDone, long tableChunksDone, int nextChunkRows) {
    }

    /** The verifier waits because a server is busy. */
    default void backingOff(String reason) {
    }

    /** A table is done. */
    default void tableDone(TableReport report) {
    }
}
