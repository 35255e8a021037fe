package dev.mitosis.purger.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The operator's control file (gh-ost's flag files): a line {@code pause} pauses the purge, {@code rate=N} sets
 * the rows/s cap (0 = none); a missing file or no such line means run at the configured rate. Lines starting with
 * {@code #} are comments; anything else is reported as not understood, and the file then pauses the purge, since
 * an operator who wrote it meant something.
 */
public final class ControlFile {

    /** What the file says now. */
    public record Commands(boolean pause, OptionalLong rate, Optional<String> problem) {
        static final Commands NONE = new Commands(false, OptionalLong.empty(), Optional.empty());
    }

    private final Path path;

    public ControlFile(Path path) {
        this.path = path;
    }

    public Path path() {
        return path;
    }

    /** Reads the file now. */
    public Commands read() {
        String text;
        try {
            text = Files.readString(path);
        } catch (NoSuchFileException e) {
            return Commands.NONE;
        } catch (IOException e) {
            return new Commands(true, OptionalLong.empty(), Optional.of("cannot read " + path + ": " + e.getMessage()));
        }
        return parse(text);
    }

    /** Parses the file's text. */
    public static Commands parse(String text) {
        boolean pause = false;
        OptionalLong rate = OptionalLong.empty();
        for (String raw : text.split("\\R")) {
            String line = raw.strip().toLowerCase(Locale.ROOT);
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.equals("pause")) {
                pause = true;
            } else if (line.startsWith("rate=") && line.substring(5).strip().matches("\\d{1,12}")) {
                rate = OptionalLong.of(Long.parseLong(line.substring(5).strip()));
            } else {
                return new Commands(true, rate, Optional.of("control line '" + raw.strip()
                        + "' not understood (expected 'pause' or 'rate=N')"));
            }
        }
        return new Commands(pause, rate, Optional.empty());
    }
}
