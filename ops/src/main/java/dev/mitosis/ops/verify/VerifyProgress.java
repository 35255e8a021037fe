package dev.mitosis.ops.verify;

import dev.mitosis.ops.cli.Progress;
import dev.mitosis.verifier.TableReport;
import dev.mitosis.verifier.VerifyListener;

/**
 * Progress of a verification on stderr: at most one line a second per table with rows/s, chunks done of the
 * estimated total and an ETA from the server's row estimate; one line per finished table.
 */
final class VerifyProgress implements VerifyListener {

    private final Progress progress;
    private long estimatedRows;
    private long rowsAtStart;
    private double startedAt;
    private double lastLineAt = -1;

    VerifyProgress(Progress progress) {
        this.progress = progress;
    }

    @Override
    public void tableStarted(String table, long estimatedRows, long rowsDoneBefore) {
        this.estimatedRows = estimatedRows;
        this.rowsAtStart = rowsDoneBefore;
        this.startedAt = progress.elapsedSeconds();
        progress.say("%s: started (about %d rows%s)", table, estimatedRows,
                rowsDoneBefore > 0 ? ", resuming after " + rowsDoneBefore : "");
    }

    @Override
    public void chunkDone(String table, long chunkRows, long tableRowsDone, long tableChunksDone, int nextChunkRows) {
        double now = progress.elapsedSeconds();
        if (now - lastLineAt < 1.0) {
            return;
        }
        lastLineAt = now;
        double rate = (tableRowsDone - rowsAtStart) / Math.max(1e-3, now - startedAt);
        long left = Math.max(0, estimatedRows - tableRowsDone);
        long chunksLeft = (left + nextChunkRows - 1) / Math.max(1, nextChunkRows);
        progress.say("%s: %d rows, %.0f rows/s, chunks %d/%d, ETA %.0f s", table, tableRowsDone, rate,
                tableChunksDone, tableChunksDone + chunksLeft, rate > 0 ? left / rate : 0.0);
    }

    @Override
    public void backingOff(String reason) {
        progress.say("backing off: %s", reason);
    }

    @Override
    public void tableDone(TableReport report) {
        progress.say("%s: %s — rows A %d, A0 %d, chunks %d, differences %d%s", report.table(), report.verdict(),
                report.coverage().rowsA(), report.coverage().rowsA0(), report.coverage().chunksCompared(),
                report.differences(), report.reasons().isEmpty() ? "" : " (" + report.reasons().get(0) + ")");
    }
}
