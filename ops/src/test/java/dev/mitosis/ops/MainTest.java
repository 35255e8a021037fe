package dev.mitosis.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {

    @Test
    void helpListsTheSubcommandsAndTheExitCodes() {
        CliRun run = CliRun.of("--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("sandbox", "Exit codes: 0 pass/done, 1 definite failure, 2 usage");
    }

    @Test
    void everySandboxSubcommandHasHelpWithAnExample() {
        for (String sub : new String[] {"up", "status", "down"}) {
            CliRun run = CliRun.of("sandbox", sub, "--help");
            assertThat(run.exitCode()).as(sub).isZero();
            assertThat(run.out()).as(sub).contains("--dir", "Example:", "mitosis sandbox " + sub);
        }
    }

    @Test
    void unknownSubcommandIsAUsageError() {
        CliRun run = CliRun.of("splitt");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("splitt");
    }

    @Test
    void noSubcommandIsAUsageError() {
        assertThat(CliRun.of().exitCode()).isEqualTo(2);
    }

    @Test
    void outOfRangePairsIsAUsageErrorNamingTheOption(@TempDir Path dir) {
        CliRun run = CliRun.of("sandbox", "up", "--pairs", "0", "--dir", dir.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--pairs 0", "1..16");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void missingDirIsAUsageError() {
        CliRun run = CliRun.of("sandbox", "up", "--pairs", "1");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--dir");
    }

    @Test
    void upRefusesADirThatHoldsSomethingElse(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("precious.txt"), "not a sandbox");

        CliRun run = CliRun.of("sandbox", "up", "--pairs", "1", "--dir", dir.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("is not empty", "precious.txt");
        assertThat(dir.resolve("sandbox.json")).doesNotExist();
    }

    @Test
    void statusOfADirWithoutSandboxSaysHowToStartOne(@TempDir Path dir) {
        CliRun run = CliRun.of("sandbox", "status", "--dir", dir.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("no sandbox in", "mitosis sandbox up");
    }

    @Test
    void downOnADirWhereNothingRunsIsDoneAndStopsNothing(@TempDir Path dir) {
        CliRun run = CliRun.of("sandbox", "down", "--dir", dir.toString());

        assertThat(run.exitCode()).isZero();
        assertThat(run.json().get("stopped")).isEmpty();
    }

    @Test
    void versionNamesTheRuntime() {
        CliRun run = CliRun.of("--version");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("mitosis", "Java " + System.getProperty("java.version"));
    }
}
