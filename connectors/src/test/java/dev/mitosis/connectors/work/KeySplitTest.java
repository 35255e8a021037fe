package dev.mitosis.connectors.work;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The ranges of a split follow one another with no gap and no overlap, open at both ends. */
class KeySplitTest {

    @Test
    void rangesRunFromBoundaryToBoundaryOpenAtBothEnds() {
        KeySplit split = new KeySplit("app.t", List.of("id"), 3, List.of(List.of("10"), List.of("20")), "s", 0);
        assertThat(split.span(0)).contains(new KeySpan(Optional.empty(), Optional.of(List.of("10"))));
        assertThat(split.span(1)).contains(new KeySpan(Optional.of(List.of("10")), Optional.of(List.of("20"))));
        assertThat(split.span(2)).contains(new KeySpan(Optional.of(List.of("20")), Optional.empty()));
        assertThat(split.span(2).orElseThrow()).hasToString("([20], +inf]");
    }

    @Test
    void aTableWithFewerKeysThanPartsLeavesTheLastRangesEmptyAndTheLastRealOneOpen() {
        KeySplit split = new KeySplit("app.t", List.of("id"), 4, List.of(List.of("5")), "s", 0);
        assertThat(split.span(1)).contains(new KeySpan(Optional.of(List.of("5")), Optional.empty()));
        assertThat(split.span(2)).isEmpty();
        assertThat(split.span(3)).isEmpty();
        assertThat(new KeySplit("app.t", List.of("id"), 1, List.of(), "s", 0).span(0)).contains(KeySpan.ALL);
        assertThatThrownBy(() -> split.span(4)).hasMessageContaining("range 4 of app.t");
        assertThatThrownBy(() -> new KeySplit("app.t", List.of("id"), 2, List.of(List.of("1"), List.of("2")), "s", 0))
                .hasMessageContaining("2 boundaries cannot cut app.t into 2 parts");
    }

    @Test
    void aSplitSurvivesJson() {
        KeySplit split = new KeySplit("app.t", List.of("a", "b"), 2, List.of(List.of("x", "b64:AAE=")), "s1", 99);
        assertThat(KeySplit.fromJson(split.toJson())).isEqualTo(split);
    }

    @Test
    void rangeUnitsNameTheirPlaceAndAWholeTableKeepsItsName() {
        assertThat(WorkUnits.rangeUnit("purge/2/app.users", 1, 4)).isEqualTo("purge/2/app.users#1/4");
        assertThat(WorkUnits.rangeUnit("verify/0/app.users", 0, 1)).isEqualTo("verify/0/app.users");
        assertThatThrownBy(() -> WorkUnits.rangeUnit("u", 4, 4)).hasMessageContaining("range 4 is not among 4");
    }
}
