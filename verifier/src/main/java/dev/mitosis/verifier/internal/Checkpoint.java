package dev.mitosis.verifier.internal;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mitosis.verifier.TableReport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where a verification stands: the tables finished, the table under way with its last finished chunk. Kept as
 * {@code checkpoint.json} in the report dir, replaced atomically after every chunk, deleted when the run ends;
 * a run that finds one for the same pair and scope resumes from it.
 *
 * @param pair      the pair
 * @param scope     the tables in scope, sorted: a checkpoint of another scope is not resumed
 * @param startedAt when the interrupted run started
 * @param finished  reports of the tables done
 * @param current   the table under way, or null
 */
public record Checkpoint(int pair, List<String> scope, String startedAt, List<TableReport> finished,
                         TableTally current) {

    /** The file name in the report dir. */
    public static final String FILE = "checkpoint.json";
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /** Copies the lists. */
    public Checkpoint {
        scope = List.copyOf(scope);
        finished = new ArrayList<>(finished);
    }

    /** Reads the checkpoint in {@code dir}, if any. */
    public static Optional<Checkpoint> read(Path dir) {
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(MAPPER.readValue(file.toFile(), Checkpoint.class));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the checkpoint " + file + " (delete it to start over)", e);
        }
    }

    /** Writes to a temporary file and renames it over the old one, so a kill never leaves half a checkpoint. */
    public void write(Path dir) {
        try {
            Files.createDirectories(dir);
            Path tmp = dir.resolve(FILE + ".tmp");
            MAPPER.writeValue(tmp.toFile(), this);
            Files.move(tmp, dir.resolve(FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the checkpoint in " + dir, e);
        }
    }

    /** Removes the checkpoint of a finished run. */
    public static void delete(Path dir) {
        try {
            Files.deleteIfExists(dir.resolve(FILE));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the checkpoint in " + dir, e);
        }
    }
}
