package dev.mitosis.ops.daemon;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * The purge control file of one shard, written on behalf of {@code POST /control}: the purger already reads it
 * every 100 ms ({@code pause}, {@code rate=N}) and logs each change with its old and new value, so the daemon only
 * routes requests into it. The file survives a restart: a paused shard starts paused.
 */
final class PurgeControl {

    private final Path file;
    private boolean paused;
    private OptionalLong rate = OptionalLong.empty();

    PurgeControl(Path file) {
        this.file = file;
        read();
    }

    Path file() {
        return file;
    }

    synchronized boolean paused() {
        return paused;
    }

    synchronized OptionalLong rate() {
        return rate;
    }

    synchronized void pause(boolean value) {
        paused = value;
        write();
    }

    /** The rows/s cap; 0 means none, as in {@code purge.max.rows.per.second}. */
    synchronized void rate(long rowsPerSecond) {
        rate = OptionalLong.of(rowsPerSecond);
        write();
    }

    private void read() {
        try {
            for (String raw : Files.readString(file, StandardCharsets.UTF_8).split("\\R")) {
                String line = raw.strip().toLowerCase(Locale.ROOT);
                if (line.equals("pause")) {
                    paused = true;
                } else if (line.matches("rate=\\d{1,12}")) {
                    rate = OptionalLong.of(Long.parseLong(line.substring(5)));
                }
            }
        } catch (NoSuchFileException e) {
            // no file: run at the configured rate
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the purge control file " + file, e);
        }
    }

    /** Replaces the file in one rename, so the purger never reads half of it. */
    private void write() {
        StringBuilder text = new StringBuilder("# written by mitosis daemon on POST /control\n");
        if (paused) {
            text.append("pause\n");
        }
        rate.ifPresent(r -> text.append("rate=").append(r).append('\n'));
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the purge control file " + file, e);
        }
    }
}
