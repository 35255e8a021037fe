package dev.mitosis.verifier;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.Consumer;

/**
 * {@code --diff-file}: every differing row as one JSON line (table, key, kind, columns, both sides' values where
 * small, repair statements), written as found so memory stays flat however many rows differ.
 */
public final class DiffFile implements Consumer<RowDifference>, AutoCloseable {

    private final Path path;
    private final BufferedWriter out;
    private long lines;

    private DiffFile(Path path, BufferedWriter out) {
        this.path = path;
        this.out = out;
    }

    /** Starts the file afresh, or appends to it when a run resumes from a checkpoint. */
    public static DiffFile open(Path path, boolean append) {
        try {
            Path parent = path.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            return new DiffFile(path, Files.newBufferedWriter(path, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE, append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the diff file " + path, e);
        }
    }

    @Override
    public void accept(RowDifference difference) {
        try {
            out.write(ReportJson.compact(difference));
            out.newLine();
            lines++;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the diff file " + path, e);
        }
    }

    /** Rows written so far. */
    public long lines() {
        return lines;
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close the diff file " + path, e);
        }
    }
}
