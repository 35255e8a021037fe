package dev.mitosis.ops.demo;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The demo passes only when every step held, the load saw no error and no row was lost; the table says why not. */
class DemoOutcomeTest {

    private static final List<Timeline.Step> STEPS = List.of(
            new Timeline.Step(1, "sandbox", "ok", 30.0, "2 pairs", List.of()),
            new Timeline.Step(2, "prove", "ok", 3.0, "proven", List.of()));

    private static DemoOutcome outcome(String failure, long errors, long lost, long resurrected) {
        DemoOutcome.Load load = new DemoOutcome.Load(100, 50, 30, 20, 100, 60, errors, 0, 600.0, 120.0,
                errors == 0 ? List.of() : List.of("uid 7: connection refused"));
        return new DemoOutcome("/tmp/d", STEPS, failure,
                List.of(new DemoOutcome.OldShard(0, "p0-a", 5000, "p0-a0", 5000)),
                List.of(new DemoOutcome.NewShard(0, "p0-a", 2500, 2500, 0, "p0-a-ha (127.0.0.1:1)", 2500L, lost, 0)),
                load, 2500, lost, resurrected, 0, List.of(), 33.0, "/tmp/d/demo-report.html", Map.of());
    }

    @Test
    void passesOnlyWithEveryStepNoErrorAndNoLoss() {
        assertThat(outcome(null, 0, 0, 0).passed()).isTrue();
        assertThat(outcome("prove: `mitosis prove` is not in this build", 0, 0, 0).passed()).isFalse();
        assertThat(outcome(null, 1, 0, 0).passed()).isFalse();
        assertThat(outcome(null, 0, 1, 0).passed()).isFalse();
        assertThat(outcome(null, 0, 0, 1).passed()).isFalse();
        assertThat(outcome(null, 0, -1, 0).passed()).as("a loss check that could not run").isFalse();
    }

    @Test
    void theTableShowsErrorsAndLossesAndNamesTheFailure() {
        List<String> passed = DemoTable.lines(outcome(null, 0, 0, 0));
        assertThat(passed).contains("load-generator errors     0")
                .anyMatch(l -> l.startsWith("rows lost                 0 (of 2500 rows"))
                .anyMatch(l -> l.startsWith("DEMO PASSED"));

        List<String> failed = DemoTable.lines(outcome("purge: interlock refused", 2, 3, 0));
        assertThat(failed).anyMatch(l -> l.startsWith("load-generator errors     2  e.g. uid 7: connection refused"))
                .anyMatch(l -> l.startsWith("rows lost                 3"))
                .contains("DEMO FAILED: purge: interlock refused");
    }

    @Test
    void theReportEscapesWhatItShows() {
        String html = DemoReportHtml.render(outcome("a <b> & c", 0, 0, 0));
        assertThat(html).contains("a &lt;b&gt; &amp; c").doesNotContain("a <b> & c").contains("FAIL");
    }
}
