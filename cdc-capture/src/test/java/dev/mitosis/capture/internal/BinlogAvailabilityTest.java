package dev.mitosis.capture.internal;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class BinlogAvailabilityTest {

    @Test
    void aStoredFileOlderThanTheOldestBinlogIsAGap() {
        List<String> files = List.of("mariadb-bin.000003", "mariadb-bin.000004");
        assertThat(BinlogAvailability.gap("mariadb-bin.000002", files)).hasValueSatisfying(reason ->
                assertThat(reason).contains("mariadb-bin.000002").contains("mariadb-bin.000003"));
        assertThat(BinlogAvailability.gap("mariadb-bin.000003", files)).isEmpty();
        assertThat(BinlogAvailability.gap("mariadb-bin.000004", files)).isEmpty();
        assertThat(BinlogAvailability.gap("", files)).isEmpty();
        assertThat(BinlogAvailability.gap("mariadb-bin.000001", List.of())).isPresent();
    }
}
