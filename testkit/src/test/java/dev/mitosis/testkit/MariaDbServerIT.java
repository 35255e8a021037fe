package dev.mitosis.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** One real server: what a shard server must be, and what tests do to it (restart, kill -9). */
class MariaDbServerIT {

    private static Path dir;
    private static MariaDbServer server;

    @BeforeAll
    static void start() {
        dir = ItEnvironment.dirFor(MariaDbServerIT.class);
        server = MariaDbServer.builder("single").baseDir(dir).port(ItEnvironment.port(0))
                .serverId(7).gtidDomainId(70).option("--default-time-zone=+05:00").build().start();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void runsWithWhatAShardServerNeeds() {
        assertThat(server.queryString("SELECT CONCAT_WS(',', @@server_id, @@gtid_domain_id, @@log_bin + 0, @@binlog_format,"
                + " @@binlog_row_image, @@log_slave_updates + 0, @@bind_address, @@port)"))
                .isEqualTo("7,70,1,ROW,FULL,1,127.0.0.1," + server.port());
        assertThat(server.queryString("SELECT @@time_zone")).isEqualTo("+05:00");
        assertThat(server.queryString("SELECT @@have_ssl")).isNotEqualTo("YES");
    }

    @Test
    void grantsAreRealAndTheAdminAccountStayedOutOfTheBinlog() throws SQLException {
        assertThatThrownBy(() -> DriverManager.getConnection(server.jdbcUrl(""), MariaDbServer.ADMIN_USER, "wrong").close())
                .isInstanceOf(SQLException.class).hasMessageContaining("Access denied");
        assertThat(server.queryString("SELECT COUNT(*) FROM mysql.user WHERE user = 'mitosis'")).isEqualTo("1");
        server.execute("CREATE USER IF NOT EXISTS 'reader'@'127.0.0.1' IDENTIFIED BY 'reader-pw'",
                "GRANT SELECT ON mysql.user TO 'reader'@'127.0.0.1'");
        try (Connection c = DriverManager.getConnection(server.jdbcUrl(""), "reader", "reader-pw")) {
            assertThatThrownBy(() -> c.createStatement().execute("CREATE DATABASE forbidden"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("denied");
        }
        // The reader's CREATE USER is in the binlog; the admin account was made with sql_log_bin=0 and is not.
        assertThat(binlogStatements()).noneMatch(s -> s.contains("'mitosis'")).anyMatch(s -> s.contains("'reader'"));
    }

    @Test
    void committedRowsSurviveAKillAndTheRestartIsOnTheSamePort() {
        server.execute("CREATE DATABASE IF NOT EXISTS crash", "CREATE TABLE IF NOT EXISTS crash.t (id INT PRIMARY KEY)",
                "INSERT INTO crash.t VALUES (1), (2), (3)");
        long pid = server.process().orElseThrow().pid();

        server.kill();
        assertThat(server.isRunning()).isFalse();
        assertThat(Ports.inUse(server.port())).isFalse();
        server.start();

        assertThat(server.process().orElseThrow().pid()).isNotEqualTo(pid);
        assertThat(server.queryString("SELECT COUNT(*) FROM crash.t")).isEqualTo("3");
    }

    @Test
    void aPidFileNeverLetsItSignalAProcessItDidNotStart() throws Exception {
        Process stranger = new ProcessBuilder("sleep", "60").start();
        try {
            Path elsewhere = Files.createDirectories(dir.resolve("reused-pid"));
            Path forged = elsewhere.resolve("mariadbd.pid");
            Files.writeString(forged, stranger.pid() + "\n--datadir=/somewhere/else\n");

            assertThat(OwnedProcess.fromPidFile(forged)).isEmpty();
            assertThat(ProcessReaper.reapUnder(elsewhere, Duration.ofSeconds(1))).isEmpty();
            assertThat(stranger.isAlive()).isTrue();
        } finally {
            stranger.destroyForcibly().waitFor();
        }
    }

    @Test
    void aServerThatCannotStartSaysWhyWithItsLog() {
        MariaDbServer broken = MariaDbServer.builder("broken").baseDir(dir).option("--no-such-option=1").build();

        assertThatThrownBy(broken::start).hasMessageContaining("broken").hasMessageContaining("no-such-option");
        assertThat(broken.isRunning()).isFalse();
    }

    /** The Info column of every event in every binlog file of the server. */
    private static List<String> binlogStatements() {
        List<String> infos = new ArrayList<>();
        for (String file : server.queryColumn("SHOW BINARY LOGS")) {
            infos.addAll(server.queryColumnAt("SHOW BINLOG EVENTS IN '" + file + "'", "Info"));
        }
        return infos;
    }
}
