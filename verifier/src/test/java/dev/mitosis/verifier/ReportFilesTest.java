package dev.mitosis.verifier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class ReportFilesTest {

    @Test
    void theThreeFilesAreWrittenAndTheJsonReadsBack(@TempDir Path dir) throws Exception {
        PairReport report = ReportSamples.report(Verdict.FAIL, "2026-01-01T00:05:00Z");
        try (FileVerdictStore store = new FileVerdictStore(dir)) {
            store.publish(report);
            store.publish(report);
            assertThat(store.latest(0)).contains(report);
            assertThat(store.latest(1)).isEmpty();
        }
        assertThat(Files.readAllLines(dir.resolve(FileVerdictStore.HISTORY))).hasSize(2);
        assertThat(Files.readString(dir.resolve(ReportFiles.TEXT))).contains("FAIL", "COLUMNS_DIFFER {id=7}",
                "repair on A0: UPDATE");
        String html = Files.readString(dir.resolve(ReportFiles.HTML));
        assertThat(html).contains("&lt;b&gt;x&lt;/b&gt;").doesNotContain("<b>x</b>").contains("class=\"map\"");
    }

    @Test
    void theDiffFileHasOneJsonLinePerDifference(@TempDir Path dir) throws Exception {
        PairReport report = ReportSamples.report(Verdict.FAIL, "2026-01-01T00:05:00Z");
        Path file = dir.resolve("diffs.jsonl");
        try (DiffFile diffs = DiffFile.open(file, false)) {
            diffs.accept(report.tables().get(0).samples().get(0));
            diffs.accept(report.tables().get(0).samples().get(0));
            assertThat(diffs.lines()).isEqualTo(2);
        }
        assertThat(Files.readAllLines(file)).hasSize(2).allMatch(l -> l.startsWith("{\"table\":\"app.t\""));
    }
}
