package dev.mitosis.verifier;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class VerdictTest {

    @Test
    void failWinsOverUnknownWhichWinsOverPass() {
        assertThat(Verdict.PASS.and(Verdict.PASS)).isEqualTo(Verdict.PASS);
        assertThat(Verdict.PASS.and(Verdict.UNKNOWN)).isEqualTo(Verdict.UNKNOWN);
        assertThat(Verdict.UNKNOWN.and(Verdict.FAIL)).isEqualTo(Verdict.FAIL);
        assertThat(Verdict.FAIL.and(Verdict.PASS)).isEqualTo(Verdict.FAIL);
    }

    @Test
    void defaultSettingsComeFromTheConfigDeclarations() {
        VerifySettings settings = VerifySettings.defaults();
        assertThat(settings.chunkTargetMs()).isEqualTo(500);
        assertThat(settings.recheckMaxAttempts()).isEqualTo(5);
        assertThat(settings.maxAge().toMinutes()).isEqualTo(10);
    }
}
