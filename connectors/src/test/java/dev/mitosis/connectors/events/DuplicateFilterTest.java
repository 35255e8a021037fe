package dev.mitosis.connectors.events;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class DuplicateFilterTest {

    private final ChangeEventReader reader = new ChangeEventReader((schema, table) -> Optional.of("uid"));

    private ChangeEvent sample(String name) {
        return reader.read(ChangeEventReaderTest.sample(name));
    }

    @Test
    void aReplayedTailIsDroppedAndNewEventsPass() {
        DuplicateFilter filter = new DuplicateFilter();
        String partition = "it.cdc.p0-a.app.users-0";
        assertThat(filter.firstTime(partition, sample("insert"))).isTrue();
        assertThat(filter.firstTime(partition, sample("update"))).isTrue();
        assertThat(filter.firstTime(partition, sample("multirow-first"))).isTrue();
        // capture restarted: the tail after the last stored offset comes again
        assertThat(filter.firstTime(partition, sample("update"))).isFalse();
        assertThat(filter.firstTime(partition, sample("multirow-first"))).isFalse();
        assertThat(filter.firstTime(partition, sample("multirow-second"))).isTrue();
        assertThat(filter.lastSeen().get(partition)).isEqualTo(sample("multirow-second").id());
    }

    @Test
    void partitionsAreIndependent() {
        DuplicateFilter filter = new DuplicateFilter();
        assertThat(filter.firstTime("a-0", sample("update"))).isTrue();
        assertThat(filter.firstTime("b-0", sample("insert"))).isTrue();
    }
}
