package dev.mitosis.verifier;

import java.util.List;
import java.util.Map;

/** Reports built by hand for tests that need no server. */
final class ReportSamples {

    private ReportSamples() {
    }

    static PairReport report(Verdict verdict, String finishedAt) {
        RowDifference d = new RowDifference("app.t", Map.of("id", "7"), DifferenceKind.COLUMNS_DIFFER, List.of("name"),
                Map.of("name", "<b>x</b>"), Map.of("name", "y"), "UPDATE `app`.`t` SET `name` = X'78' WHERE `id` = 7",
                "UPDATE `app`.`t` SET `name` = X'79' WHERE `id` = 7");
        TableCoverage coverage = new TableCoverage(10, 10, 2, 1, 1, 0, 0, 0, 0, null);
        TableReport table = new TableReport("app.t", verdict, List.of(), coverage, verdict == Verdict.FAIL ? 1 : 0,
                verdict == Verdict.FAIL ? List.of(d) : List.of(), true, ".D", 12);
        return new PairReport(0, verdict, List.of(), "p0-a", "p0-a0", "101-101-5", "101-101-5",
                "2026-01-01T00:00:00Z", finishedAt, 1000, false, PairReport.Totals.of(List.of(table)), List.of(table),
                List.of());
    }
}
