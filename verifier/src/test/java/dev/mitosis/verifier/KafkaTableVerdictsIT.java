package dev.mitosis.verifier;

import dev.mitosis.connectors.topology.HostPort;
import dev.mitosis.connectors.topology.KafkaSettings;
import dev.mitosis.testkit.ItEnvironment;
import dev.mitosis.testkit.KafkaBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Parts stored by two daemons of a work group, each for the tables it verified, are read back by the merger's
 * follower as the newest part per table of the pair — a part written after a read is seen by the next read — and
 * merge into the pair's verdict.
 */
class KafkaTableVerdictsIT {

    private static final List<String> SCOPE = List.of("app.a", "app.b", "app.c");
    private static KafkaBroker broker;

    @BeforeAll
    static void start() {
        Path dir = ItEnvironment.dirFor(KafkaTableVerdictsIT.class);
        broker = KafkaBroker.inDir(dir.resolve("kafka"), ItEnvironment.port(0), ItEnvironment.port(1), false).start();
    }

    @AfterAll
    static void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    private static TableReport table(String name, Verdict verdict) {
        return new TableReport(name, verdict, verdict == Verdict.PASS ? List.of() : List.of("because"),
                new TableCoverage(10, 10, 1, verdict == Verdict.PASS ? 1 : 0, verdict == Verdict.FAIL ? 1 : 0, 0, 0,
                        0, 0, null), verdict == Verdict.FAIL ? 1 : 0, List.of(), true, ".", 5);
    }

    private static PairReport report(int pair, String finishedAt, TableReport... tables) {
        List<TableReport> list = List.of(tables);
        Verdict verdict = list.stream().map(TableReport::verdict).reduce(Verdict.PASS, Verdict::and);
        return new PairReport(pair, verdict, List.of(), "a", "a0", "1-1-1", "2-2-2", "2026-01-01T00:00:00Z",
                finishedAt, 1, false, PairReport.Totals.of(list), list, List.of());
    }

    @Test
    void theFollowerSeesTheNewestPartOfEveryTableOfThePair() {
        KafkaSettings kafka = new KafkaSettings(List.of(HostPort.parse(broker.bootstrapServers())), "tv");
        try (KafkaTableVerdicts first = new KafkaTableVerdicts(kafka);
             KafkaTableVerdicts second = new KafkaTableVerdicts(kafka);
             KafkaTableVerdicts merger = new KafkaTableVerdicts(kafka)) {
            assertThat(first.topic()).isEqualTo("tv.verdicts.tables");
            first.publish(report(0, "2026-01-01T00:00:05Z", table("app.a", Verdict.PASS), table("app.b", Verdict.FAIL)));
            second.publish(report(0, "2026-01-01T00:00:06Z", table("app.c", Verdict.PASS)));
            second.publish(report(1, "2026-01-01T00:00:06Z", table("app.a", Verdict.FAIL)));
            try (KafkaTableVerdicts.Follower follower = merger.follow()) {
                List<PairReport> parts = follower.parts(0);
                assertThat(parts).hasSize(3).allSatisfy(p -> assertThat(p.tables()).hasSize(1));
                PairReport merged = VerdictMerge.merge(0, SCOPE, parts);
                assertThat(merged.verdict()).isEqualTo(Verdict.FAIL);
                assertThat(merged.finishedAt()).isEqualTo("2026-01-01T00:00:05Z");

                // app.b repaired and verified again, by the other daemon now: its newer part replaces the FAIL.
                second.publish(report(0, "2026-01-01T00:00:09Z", table("app.b", Verdict.PASS)));
                merged = VerdictMerge.merge(0, SCOPE, follower.parts(0));
                assertThat(merged.verdict()).isEqualTo(Verdict.PASS);
                assertThat(merged.tables()).extracting(TableReport::table).containsExactlyElementsOf(SCOPE);
                assertThat(follower.parts(1)).singleElement().extracting(PairReport::verdict).isEqualTo(Verdict.FAIL);
            }
        }
    }
}
