package dev.mitosis.capture.internal;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ServerCaptureTest {

    @Test
    void purgedBinlogErrorsAreGaps() {
        assertThat(ServerCapture.isGap(new RuntimeException("wrapped", new IllegalStateException(
                "Could not find GTID state requested by slave in any binlog files. Probably the slave state is too "
                        + "old and required binlog files have been purged. Error code: 1236")))).isTrue();
        assertThat(ServerCapture.isGap(new RuntimeException("Connection refused"))).isFalse();
    }
}
