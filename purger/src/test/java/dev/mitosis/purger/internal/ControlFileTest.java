package dev.mitosis.purger.internal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The operator's control file: pause, rate=N, comments; anything else pauses with the line named. */
class ControlFileTest {

    @TempDir
    Path dir;

    @Test
    void missingFileMeansRunAsConfigured() {
        ControlFile.Commands commands = new ControlFile(dir.resolve("none")).read();

        assertThat(commands.pause()).isFalse();
        assertThat(commands.rate()).isEmpty();
        assertThat(commands.problem()).isEmpty();
    }

    @Test
    void readsPauseAndRate() throws IOException {
        Path file = dir.resolve("control");
        Files.writeString(file, "# slow down for the backup\nrate=250\n\nPAUSE\n");

        ControlFile.Commands commands = new ControlFile(file).read();

        assertThat(commands.pause()).isTrue();
        assertThat(commands.rate()).hasValue(250);
    }

    @Test
    void aLineNotUnderstoodPausesAndIsNamed() {
        ControlFile.Commands commands = ControlFile.parse("rate=fast\n");

        assertThat(commands.pause()).isTrue();
        assertThat(commands.problem()).hasValueSatisfying(p -> assertThat(p).contains("'rate=fast'"));
    }
}
