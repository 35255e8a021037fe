package dev.mitosis.verifier;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * Verdicts as files: the newest one is the report.json of the report dir, and every verdict is appended to
 * {@code verdicts.jsonl} beside it, so the history survives restarts on this host.
 */
public final class FileVerdictStore implements VerdictStore {

    public static final String HISTORY = "verdicts.jsonl";
    private final Path dir;

    public FileVerdictStore(Path dir) {
        this.dir = dir;
    }

    @Override
    public void publish(PairReport report) {
        ReportFiles.write(dir, report);
        try {
            Files.writeString(dir.resolve(HISTORY), ReportJson.compact(report) + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + dir.resolve(HISTORY), e);
        }
    }

    @Override
    public Optional<PairReport> latest(int pair) {
        return ReportFiles.read(dir).filter(r -> r.pair() == pair);
    }

    @Override
    public void close() {
        // Nothing held open.
    }
}
