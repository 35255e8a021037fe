package dev.mitosis.verifier;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class VerdictMergeTest {

    private static final List<String> SCOPE = List.of("app.a", "app.b", "app.c");

    private static TableReport table(String name, Verdict verdict) {
        return new TableReport(name, verdict, verdict == Verdict.PASS ? List.of() : List.of("because"),
                new TableCoverage(10, 10, 1, verdict == Verdict.PASS ? 1 : 0, verdict == Verdict.FAIL ? 1 : 0, 0, 0,
                        0, 0, null), verdict == Verdict.FAIL ? 1 : 0, List.of(), true, ".", 5);
    }

    private static PairReport part(String finishedAt, String gtid, List<String> reasons, TableReport... tables) {
        List<TableReport> list = List.of(tables);
        Verdict verdict = list.stream().anyMatch(t -> t.verdict() == Verdict.FAIL) ? Verdict.FAIL
                : list.stream().anyMatch(t -> t.verdict() == Verdict.UNKNOWN) || !reasons.isEmpty() ? Verdict.UNKNOWN
                : Verdict.PASS;
        return new PairReport(0, verdict, reasons, "a", "a0", gtid, gtid, "2026-01-01T00:00:00Z", finishedAt, 1, false,
                PairReport.Totals.of(list), list, List.of());
    }

    @Test
    void everyTablePassedSomewhereIsAPassHoldingForTheOldestPart() {
        PairReport merged = VerdictMerge.merge(0, SCOPE, List.of(
                part("2026-01-01T00:00:09Z", "1-1-9", List.of(), table("app.a", Verdict.PASS), table("app.c", Verdict.PASS)),
                part("2026-01-01T00:00:05Z", "1-1-5", List.of(), table("app.b", Verdict.PASS))));

        assertThat(merged.verdict()).isEqualTo(Verdict.PASS);
        assertThat(merged.finishedAt()).isEqualTo("2026-01-01T00:00:05Z");
        assertThat(merged.gtidA()).isEqualTo("1-1-5");
        assertThat(merged.tables()).extracting(TableReport::table).containsExactlyElementsOf(SCOPE);
        assertThat(merged.totals().tablesCompared()).isEqualTo(3);
    }

    @Test
    void aTableNobodyVerifiedMakesItUnknownNeverPass() {
        PairReport merged = VerdictMerge.merge(0, SCOPE, List.of(
                part("2026-01-01T00:00:09Z", "1-1-9", List.of(), table("app.a", Verdict.PASS), table("app.b", Verdict.PASS))));

        assertThat(merged.verdict()).isEqualTo(Verdict.UNKNOWN);
        assertThat(merged.reasons()).singleElement().asString().contains("app.c").contains(VerdictMerge.NOT_VERIFIED);
        assertThat(VerdictMerge.merge(0, SCOPE, List.of()).verdict()).isEqualTo(Verdict.UNKNOWN);
        assertThat(VerdictMerge.merge(0, List.of(), List.of()).verdict()).isEqualTo(Verdict.UNKNOWN);
    }

    @Test
    void aFailedTableFailsThePairEvenWithTablesMissing() {
        PairReport merged = VerdictMerge.merge(0, SCOPE, List.of(
                part("2026-01-01T00:00:09Z", "1-1-9", List.of(), table("app.b", Verdict.FAIL))));

        assertThat(merged.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(merged.totals().differences()).isEqualTo(1);
    }

    @Test
    void theNewestPartOfATableCountsAndTablesOutOfScopeAndOtherPairsDoNot() {
        PairReport older = part("2026-01-01T00:00:01Z", "1-1-1", List.of(), table("app.a", Verdict.FAIL),
                table("app.b", Verdict.PASS), table("app.c", Verdict.PASS));
        PairReport newer = part("2026-01-01T00:00:08Z", "1-1-8", List.of(), table("app.a", Verdict.PASS),
                table("app.gone", Verdict.FAIL));
        PairReport otherPair = new PairReport(1, Verdict.FAIL, List.of(), "a", "a0", "", "", "2026-01-01T00:00:00Z",
                "2026-01-01T00:00:09Z", 1, false, PairReport.Totals.of(List.of(table("app.c", Verdict.FAIL))),
                List.of(table("app.c", Verdict.FAIL)), List.of());

        PairReport merged = VerdictMerge.merge(0, SCOPE, List.of(older, newer, otherPair));

        assertThat(merged.verdict()).isEqualTo(Verdict.PASS);
        assertThat(merged.finishedAt()).isEqualTo("2026-01-01T00:00:01Z");
    }

    @Test
    void aPartsPairLevelReasonHoldsForItsTables() {
        PairReport merged = VerdictMerge.merge(0, SCOPE, List.of(
                part("2026-01-01T00:00:09Z", "1-1-9", List.of("replication A0 -> A is not running"),
                        table("app.a", Verdict.PASS)),
                part("2026-01-01T00:00:09Z", "1-1-9", List.of(), table("app.b", Verdict.PASS), table("app.c", Verdict.PASS))));

        assertThat(merged.verdict()).isEqualTo(Verdict.UNKNOWN);
        assertThat(merged.reasons()).contains("replication A0 -> A is not running");
    }

    @Test
    void splitThenMergeGivesTheWholeReportsVerdict() {
        PairReport whole = part("2026-01-01T00:00:09Z", "1-1-9", List.of(), table("app.a", Verdict.PASS),
                table("app.b", Verdict.FAIL), table("app.c", Verdict.PASS));

        List<PairReport> parts = VerdictMerge.split(whole);

        assertThat(parts).hasSize(3).allSatisfy(p -> assertThat(p.tables()).hasSize(1));
        PairReport merged = VerdictMerge.merge(0, SCOPE, parts);
        assertThat(merged.verdict()).isEqualTo(whole.verdict());
        assertThat(merged.tables()).isEqualTo(whole.tables());
    }

    private static final Map<String, List<String>> RANGED = new LinkedHashMap<>(Map.of(
            "app.big", List.of("app.big#0/3", "app.big#1/3", "app.big#2/3")));

    @Test
    void aTableInRangesPassesOnlyWhenEveryRangeDoesWithCoverageSummed() {
        PairReport merged = VerdictMerge.merge(0, RANGED, List.of(
                part("2026-01-01T00:00:09Z", "1-1-9", List.of(), table("app.big#0/3", Verdict.PASS),
                        table("app.big#2/3", Verdict.PASS)),
                part("2026-01-01T00:00:05Z", "1-1-5", List.of(), table("app.big#1/3", Verdict.PASS))),
                Instant.parse("2026-01-01T00:00:00Z"));

        assertThat(merged.verdict()).isEqualTo(Verdict.PASS);
        assertThat(merged.tables()).singleElement().satisfies(t -> {
            assertThat(t.table()).isEqualTo("app.big");
            assertThat(t.coverage().rowsA()).isEqualTo(30);
            assertThat(t.coverage().chunksCompared()).isEqualTo(3);
            assertThat(t.chunkMap()).isEqualTo("...");
        });
        assertThat(merged.finishedAt()).isEqualTo("2026-01-01T00:00:05Z");
    }

    @Test
    void aRangeMissingOrStaleLeavesTheTableUnknownAndAFailedRangeFailsIt() {
        PairReport missing = VerdictMerge.merge(0, RANGED, List.of(
                part("2026-01-01T00:00:09Z", "1-1-9", List.of(), table("app.big#0/3", Verdict.PASS),
                        table("app.big#2/3", Verdict.PASS))), Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(missing.verdict()).isEqualTo(Verdict.UNKNOWN);
        assertThat(missing.tables().get(0).reasons()).anySatisfy(r -> assertThat(r).contains("app.big#1/3")
                .contains(VerdictMerge.NOT_VERIFIED));

        List<PairReport> all = List.of(
                part("2026-01-01T00:00:09Z", "1-1-9", List.of(), table("app.big#0/3", Verdict.PASS),
                        table("app.big#2/3", Verdict.PASS)),
                part("2026-01-01T00:00:05Z", "1-1-5", List.of(), table("app.big#1/3", Verdict.PASS)));
        PairReport stale = VerdictMerge.merge(0, RANGED, all, Instant.parse("2026-01-01T00:00:06Z"));
        assertThat(stale.verdict()).isEqualTo(Verdict.UNKNOWN);
        assertThat(stale.tables().get(0).reasons()).anySatisfy(r -> assertThat(r).contains("app.big#1/3")
                .contains("verify.max.age"));

        PairReport failed = VerdictMerge.merge(0, RANGED, List.of(
                part("2026-01-01T00:00:09Z", "1-1-9", List.of(), table("app.big#0/3", Verdict.FAIL))),
                Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(failed.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(failed.totals().differences()).isEqualTo(1);

        Map<String, List<String>> notCut = Map.of("app.big", List.of());
        assertThat(VerdictMerge.merge(0, notCut, all, Instant.EPOCH).verdict()).isEqualTo(Verdict.UNKNOWN);
    }
}
