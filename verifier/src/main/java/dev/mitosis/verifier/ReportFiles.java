package dev.mitosis.verifier;

import dev.mitosis.verifier.internal.ReportHtml;
import dev.mitosis.verifier.internal.ReportText;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/** The report files of a run: report.json (the stored form), report.txt and report.html, side by side. */
public final class ReportFiles {

    public static final String JSON = "report.json";
    public static final String TEXT = "report.txt";
    public static final String HTML = "report.html";

    private ReportFiles() {
    }

    /** Writes the three files into {@code dir}, each replaced atomically. */
    public static void write(Path dir, PairReport report) {
        try {
            Files.createDirectories(dir);
            replace(dir, TEXT, ReportText.render(report));
            replace(dir, HTML, ReportHtml.render(report));
            // The JSON last: it is what the gate reads, so it never points at a run whose other files are missing.
            replace(dir, JSON, ReportJson.pretty(report));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report in " + dir, e);
        }
    }

    /** The report in {@code dir}, if one was written. */
    public static Optional<PairReport> read(Path dir) {
        Path file = dir.resolve(JSON);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(ReportJson.read(Files.readString(file)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static void replace(Path dir, String name, String content) throws IOException {
        Path tmp = dir.resolve(name + ".tmp");
        Files.writeString(tmp, content);
        Files.move(tmp, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
