package dev.mitosis.ops.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mitosis.ops.Main;
import dev.mitosis.testkit.ItEnvironment;
import dev.mitosis.testkit.ProcessReaper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The project's scenario test: {@code mitosis demo} on the embedded default, end to end — a 2-pair sandbox under a
 * routed load, verify, flip, cut, re-partner, purge, prove — must exit 0 with no load-generator error and no row
 * lost, every step ok, the report written and no process left running. Prints the step timings.
 */
class DemoIT {

    private static Path dir;

    @BeforeAll
    static void prepare() {
        dir = ItEnvironment.dirFor(DemoIT.class).resolve("demo");
    }

    @AfterAll
    static void reapLeftovers() {
        // The demo stops what it started; this only guards the next test class if it did not.
        ProcessReaper.reapUnder(dir.getParent(), Duration.ofSeconds(30));
    }

    @Test
    void theWholeSplitUnderLoadHoldsAndIsProven() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        long start = System.nanoTime();
        int exit = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), "demo", "--dir", dir.toString());
        double seconds = (System.nanoTime() - start) / 1e9;
        System.err.println(err);
        System.err.printf("DemoIT: mitosis demo took %.1f s, exit %d%n", seconds, exit);

        JsonNode summary = new ObjectMapper().readTree(out.toString());
        for (JsonNode step : summary.path("steps")) {
            System.err.printf("DemoIT: step %-10s %-7s %6.1f s  %s%n", step.path("name").asText(),
                    step.path("status").asText(), step.path("seconds").asDouble(), step.path("detail").asText());
        }
        assertThat(exit).as("exit code; failure: %s", summary.path("failure").asText()).isZero();
        assertThat(summary.path("steps")).hasSize(DemoRun.STEPS.size())
                .allSatisfy(step -> assertThat(step.path("status").asText()).isEqualTo("ok"));
        assertThat(summary.path("load").path("errors").asLong()).isZero();
        assertThat(summary.path("rowsLost").asLong()).isZero();
        assertThat(summary.path("rowsResurrected").asLong()).isZero();
        assertThat(summary.path("load").path("writes").asLong()).isPositive();
        assertThat(summary.path("load").path("writesAfterFlip").asLong()).isPositive();
        assertThat(summary.path("newShards")).hasSize(4).allSatisfy(shard -> {
            assertThat(shard.path("notOwned").asLong()).as("rows left that the shard does not own").isZero();
            assertThat(shard.path("partnerRows").asLong()).isEqualTo(shard.path("rowsAfter").asLong());
        });
        assertThat(err.toString()).contains("load-generator errors     0").contains("rows lost                 0");
        assertThat(Files.readString(dir.resolve(DemoReportHtml.FILE))).contains("mitosis demo: <span class=\"ok\">PASS");
        assertThat(ProcessReaper.findUnder(dir)).as("processes left running by the demo").isEmpty();
    }
}
