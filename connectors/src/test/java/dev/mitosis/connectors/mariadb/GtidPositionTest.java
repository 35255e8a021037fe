package dev.mitosis.connectors.mariadb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class GtidPositionTest {

    @Test
    void parsesAndPrintsInMariaDbNotationDomainsAscending() {
        GtidPosition p = GtidPosition.parse("202-202-7, 101-101-24");

        assertThat(p.toString()).isEqualTo("101-101-24,202-202-7");
        assertThat(p.domain(202)).hasValueSatisfying(g -> assertThat(g.sequence()).isEqualTo(7));
        assertThat(GtidPosition.parse("")).isEqualTo(GtidPosition.empty());
        assertThat(GtidPosition.parse(null).isEmpty()).isTrue();
    }

    @Test
    void coversComparesSequencePerDomain() {
        GtidPosition replica = GtidPosition.parse("1-1-10,2-2-5");

        assertThat(replica.covers(GtidPosition.parse("1-1-10"))).isTrue();
        assertThat(replica.covers(GtidPosition.parse("1-1-9,2-2-5"))).isTrue();
        assertThat(replica.covers(GtidPosition.parse("1-1-11"))).isFalse();
        assertThat(replica.covers(GtidPosition.parse("3-3-1"))).isFalse();
        assertThat(replica.covers(GtidPosition.empty())).isTrue();
    }

    @Test
    void transactionsBehindSumsTheMissingSequencesOverDomains() {
        GtidPosition replica = GtidPosition.parse("1-1-10,2-2-5");

        assertThat(replica.transactionsBehind(GtidPosition.parse("1-1-12,2-2-5,3-3-4"))).isEqualTo(6);
        assertThat(replica.transactionsBehind(GtidPosition.parse("1-1-3"))).isZero();
    }

    @Test
    void onlyDomainKeepsOneDomain() {
        assertThat(GtidPosition.parse("1-1-10,2-2-5").onlyDomain(2).toString()).isEqualTo("2-2-5");
        assertThat(GtidPosition.parse("1-1-10").onlyDomain(9).isEmpty()).isTrue();
    }

    @Test
    void rejectsMalformedPositionsNamingTheText() {
        assertThatThrownBy(() -> GtidPosition.parse("1-2")).hasMessageContaining("'1-2'");
        assertThatThrownBy(() -> GtidPosition.parse("1-1-5,1-2-6")).hasMessageContaining("domain 1 twice");
        assertThatThrownBy(() -> GtidPosition.parse("a-b-c")).hasMessageContaining("'a-b-c'");
    }
}
