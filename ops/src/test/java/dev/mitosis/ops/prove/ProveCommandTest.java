package dev.mitosis.ops.prove;

import dev.mitosis.ops.Main;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

/** The command lines of {@code prove} and {@code purge undo}, without servers. */
class ProveCommandTest {

    private record Run(int exitCode, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void proveAndUndoHaveHelpWithTheirExitCodesAndAnExample() {
        Run prove = run("prove", "--help");
        assertThat(prove.exitCode()).isZero();
        assertThat(prove.out()).contains("--shard", "0 proven, 1 disproven", "3 cannot tell",
                "mitosis prove --config sandbox/mitosis.yaml --shard 2");

        Run undo = run("purge", "undo", "--help");
        assertThat(undo.exitCode()).isZero();
        assertThat(undo.out()).contains("--table", "--allow-incomplete",
                "mitosis purge undo --config sandbox/mitosis.yaml --shard 2 --table app.t");

        assertThat(run("purge", "--help").out()).contains("undo");
        assertThat(run("--help").out()).contains("prove");
    }

    @Test
    void missingOptionsAreUsageErrorsNamingThem() {
        Run prove = run("prove", "--config", "mitosis.yaml");
        assertThat(prove.exitCode()).isEqualTo(2);
        assertThat(prove.err()).contains("--shard");

        Run undo = run("purge", "undo", "--config", "mitosis.yaml", "--shard", "0");
        assertThat(undo.exitCode()).isEqualTo(2);
        assertThat(undo.err()).contains("--table");

        Run purge = run("purge", "--shard", "0");
        assertThat(purge.exitCode()).isEqualTo(2);
        assertThat(purge.err()).contains("--config and --shard");
        assertThat(purge.out()).isEmpty();
    }
}
