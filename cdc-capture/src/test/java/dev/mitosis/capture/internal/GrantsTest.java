package dev.mitosis.capture.internal;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Lines as MariaDB 11.4 prints them for SHOW GRANTS FOR CURRENT_USER(). */
class GrantsTest {

    @Test
    void allPrivilegesCoverEverything() {
        Grants grants = Grants.parse(List.of(
                "GRANT ALL PRIVILEGES ON *.* TO `mitosis`@`127.0.0.1` IDENTIFIED BY PASSWORD '*AB' WITH GRANT OPTION"));
        assertThat(grants.hasGlobal("REPLICATION SLAVE")).isTrue();
        assertThat(grants.canSelect("app")).isTrue();
    }

    @Test
    void minimumCaptureGrants() {
        Grants grants = Grants.parse(List.of(
                "GRANT SELECT, RELOAD, BINLOG MONITOR, REPLICATION SLAVE ON *.* TO `cdc`@`%` IDENTIFIED BY PASSWORD '*AB'"));
        assertThat(grants.hasGlobal("REPLICATION SLAVE")).isTrue();
        assertThat(grants.hasGlobal("BINLOG MONITOR")).isTrue();
        assertThat(grants.canSelect("app")).isTrue();
    }

    @Test
    void schemaSelectWithoutReplication() {
        Grants grants = Grants.parse(List.of("GRANT USAGE ON *.* TO `ro`@`%`",
                "GRANT SELECT ON `app`.* TO `ro`@`%`"));
        assertThat(grants.hasGlobal("REPLICATION SLAVE")).isFalse();
        assertThat(grants.canSelect("app")).isTrue();
        assertThat(grants.canSelect("other")).isFalse();
    }
}
