package dev.mitosis.verifier.internal;

import dev.mitosis.verifier.DifferenceKind;
import dev.mitosis.verifier.RowDifference;
import dev.mitosis.verifier.TableReport;
import dev.mitosis.verifier.Verdict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class TableTallyTest {

    private static final ChunkDigest TEN = new ChunkDigest(10, 1, 2, 5);
    private static final TableShape SHAPE = new TableShape("app", "t", List.of(new Column("id", "int", "int")),
            List.of(new Column("id", "int", "int")));

    private static ChunkComparer.Result result(ChunkComparer.Outcome outcome) {
        return new ChunkComparer.Result(outcome, TEN, TEN, 0, "");
    }

    private static Optional<KeyBound> key(int k) {
        return Optional.of(new KeyBound(List.of(new BigDecimal(k))));
    }

    @Test
    void sameChunksToTheEndPass() {
        TableTally tally = new TableTally("app.t", 10);
        tally.chunkDone(result(ChunkComparer.Outcome.SAME), key(10), 5);
        tally.chunkDone(result(ChunkComparer.Outcome.SAME), Optional.empty(), 5);
        TableReport report = tally.report();
        assertThat(tally.finished()).isTrue();
        assertThat(report.verdict()).isEqualTo(Verdict.PASS);
        assertThat(report.coverage().rowsA()).isEqualTo(20);
        assertThat(report.chunkMap()).isEqualTo("..");
    }

    @Test
    void aHotChunkIsNeverCountedAsPassing() {
        TableTally tally = new TableTally("app.t", 10);
        tally.chunkDone(result(ChunkComparer.Outcome.HOT), key(10), 5);
        tally.chunkDone(result(ChunkComparer.Outcome.SAME), Optional.empty(), 5);
        TableReport report = tally.report();
        assertThat(report.verdict()).isEqualTo(Verdict.UNKNOWN);
        assertThat(report.coverage().rowsNotCoveredA()).isEqualTo(10);
        assertThat(report.reasons()).anyMatch(r -> r.contains("hot chunk"));
    }

    @Test
    void aConfirmedRowDifferenceFailsAndSamplesAreBounded() {
        TableTally tally = new TableTally("app.t", 10);
        for (int i = 0; i < 15; i++) {
            tally.difference(new RowDifference("app.t", Map.of("id", "" + i), DifferenceKind.ONLY_ON_A, List.of("id"),
                    Map.of(), null, "x", "y"));
        }
        tally.chunkDone(result(ChunkComparer.Outcome.DIFFERENT), Optional.empty(), 5);
        TableReport report = tally.report();
        assertThat(report.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(report.differences()).isEqualTo(15);
        assertThat(report.samples()).hasSize(TableReport.MAX_SAMPLES);
    }

    @Test
    void aDifferentChunkWithoutAConfirmedRowIsUnknownNotFail() {
        TableTally tally = new TableTally("app.t", 10);
        tally.chunkDone(result(ChunkComparer.Outcome.DIFFERENT), Optional.empty(), 5);
        assertThat(tally.report().verdict()).isEqualTo(Verdict.UNKNOWN);
    }

    @Test
    void aTableAbandonedOnAServerErrorIsUnknown() {
        TableTally tally = new TableTally("app.t", 10);
        tally.abandon("server error");
        assertThat(tally.report().verdict()).isEqualTo(Verdict.UNKNOWN);
    }

    @Test
    void theCheckpointKeepsWhereTheTableStands(@TempDir Path dir) {
        TableTally tally = new TableTally("app.t", 10);
        tally.chunkDone(result(ChunkComparer.Outcome.SAME), key(42), 5);
        new Checkpoint(0, List.of("app.t"), "2026-01-01T00:00:00Z", List.of(), tally).write(dir);
        Checkpoint back = Checkpoint.read(dir).orElseThrow();
        assertThat(back.current().after(SHAPE)).contains(new KeyBound(List.of(new BigDecimal(42))));
        assertThat(back.current().report()).isEqualTo(tally.report());
        Checkpoint.delete(dir);
        assertThat(Checkpoint.read(dir)).isEmpty();
    }
}
