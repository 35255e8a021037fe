package dev.mitosis.verifier;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class GateTest {

    private static final Instant NOW = Instant.parse("2026-01-01T00:10:00Z");

    @Test
    void aFreshPassPasses() {
        Gate.Decision d = Gate.decide(0, Optional.of(ReportSamples.report(Verdict.PASS, "2026-01-01T00:05:00Z")), NOW,
                Duration.ofMinutes(10));
        assertThat(d.verdict()).isEqualTo(Verdict.PASS);
        assertThat(d.ageMs()).isEqualTo(300_000);
    }

    @Test
    void aStalePassIsUnknown() {
        Gate.Decision d = Gate.decide(0, Optional.of(ReportSamples.report(Verdict.PASS, "2026-01-01T00:05:00Z")), NOW,
                Duration.ofMinutes(1));
        assertThat(d.verdict()).isEqualTo(Verdict.UNKNOWN);
        assertThat(d.reason()).contains("older than");
    }

    @Test
    void noVerdictIsUnknownAndAnOldFailStaysFail() {
        assertThat(Gate.decide(0, Optional.empty(), NOW, Duration.ofMinutes(1)).verdict()).isEqualTo(Verdict.UNKNOWN);
        assertThat(Gate.decide(0, Optional.of(ReportSamples.report(Verdict.FAIL, "2020-01-01T00:00:00Z")), NOW,
                Duration.ofMinutes(1)).verdict()).isEqualTo(Verdict.FAIL);
    }
}
