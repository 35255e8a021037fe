package dev.mitosis.capture;

import com.codahale.metrics.MetricRegistry;
import dev.mitosis.capture.internal.Preflight;
import dev.mitosis.connectors.capture.CaptureState;
import dev.mitosis.connectors.mariadb.ServerConnector;
import dev.mitosis.connectors.topology.MitosisConfig;
import dev.mitosis.connectors.topology.MitosisConfigLoader;
import dev.mitosis.testkit.ItEnvironment;
import dev.mitosis.testkit.MariaDbServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** A server with binlog_format=MIXED, and a user without REPLICATION SLAVE: capture refuses both, naming the fix. */
class PreflightIT {

    private static final String USER_PASSWORD = "preflight-user-pw";
    private static Path dir;
    private static MariaDbServer server;

    @BeforeAll
    static void start() {
        dir = ItEnvironment.dirFor(PreflightIT.class);
        server = MariaDbServer.builder("mixed").baseDir(dir).port(ItEnvironment.port(0))
                .adminPassword(CaptureFixture.PASSWORD).option("--binlog-format=MIXED").build().start();
        server.execute("CREATE DATABASE app",
                "CREATE USER 'reader'@'127.0.0.1' IDENTIFIED BY '" + USER_PASSWORD + "'",
                "GRANT SELECT ON app.* TO 'reader'@'127.0.0.1'");
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.stop();
        }
    }

    private static MitosisConfig config(String user, String password) throws IOException {
        Files.writeString(dir.resolve(user + ".password"), password + "\n");
        Path file = dir.resolve(user + ".yaml");
        Files.writeString(file, String.join("\n",
                "split:", "  old.shards: 1", "  new.shards: 2", "schemas: [app]",
                "credentials:", "  user: " + user, "  password.file: " + user + ".password",
                // Never contacted: preflight refuses before capture touches Kafka.
                "kafka:", "  bootstrap.servers: 127.0.0.1:1",
                "pairs:", "  - pair: 0", "    servers:",
                "      - name: mixed", "        host: 127.0.0.1", "        port: " + server.port(),
                "      - name: other", "        host: 127.0.0.1", "        port: 1",
                ""));
        return new MitosisConfigLoader(Map.<String, String>of()::get).load(file);
    }

    @Test
    void mixedBinlogFormatIsRefusedWithTheFix() throws Exception {
        MitosisConfig config = config(MariaDbServer.ADMIN_USER, CaptureFixture.PASSWORD);
        ServerConnector connector = new ServerConnector(config.topology().servers().get(0));
        assertThatThrownBy(() -> new Preflight(connector, List.of("app"), SnapshotMode.NONE).check())
                .isInstanceOfSatisfying(PreflightException.class, e -> {
                    assertThat(e.problems()).extracting(PreflightException.Problem::check)
                            .containsExactly("binlog_format");
                    assertThat(e.problems().get(0).found()).isEqualTo("MIXED");
                    assertThat(e.getMessage()).contains("binlog_format=ROW");
                });
    }

    @Test
    void userWithoutReplicationSlaveIsRefusedWithTheGrant() throws Exception {
        MitosisConfig config = config("reader", USER_PASSWORD);
        ServerConnector connector = new ServerConnector(config.topology().servers().get(0));
        assertThatThrownBy(() -> new Preflight(connector, List.of("app"), SnapshotMode.NONE).check())
                .isInstanceOfSatisfying(PreflightException.class, e -> assertThat(e.getMessage())
                        .contains("missing REPLICATION SLAVE, BINLOG MONITOR")
                        .contains("GRANT REPLICATION SLAVE, BINLOG MONITOR ON *.* TO 'reader'@'<host>'"));
    }

    @Test
    void captureWorkerFailsForGoodOnAPreflightRefusal() throws Exception {
        MitosisConfig config = config(MariaDbServer.ADMIN_USER, CaptureFixture.PASSWORD);
        try (CaptureWorker worker = new CaptureWorker(config, List.of(config.topology().servers().get(0)),
                CaptureSettings.defaults(), "rebaseline {server}", new MetricRegistry(), Clock.systemUTC())) {
            worker.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> worker.state() == WorkerState.FAILED);
            assertThat(worker.firstFailure()).containsInstanceOf(PreflightException.class);
            assertThat(worker.health().get(0).state()).isEqualTo(CaptureState.FAILED);
            assertThat(worker.health().get(0).error()).hasValueSatisfying(m -> assertThat(m).contains("binlog_format"));
        }
    }
}
