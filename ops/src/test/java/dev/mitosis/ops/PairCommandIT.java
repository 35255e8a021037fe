package dev.mitosis.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mitosis.testkit.DualMasterPair;
import dev.mitosis.testkit.ItEnvironment;
import dev.mitosis.testkit.MariaDbServer;
import dev.mitosis.testkit.Replication;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** `mitosis pair status|cut` on a real pair, driven by a mitosis.yaml as an operator writes it. */
class PairCommandIT {

    private static DualMasterPair pair;
    private static Path config;

    @BeforeAll
    static void startPair() throws IOException {
        Path dir = ItEnvironment.dirFor(PairCommandIT.class);
        MariaDbServer.Builder[] b = DualMasterPair.builders(dir, "p0", 0);
        pair = DualMasterPair.start(b[0].port(ItEnvironment.port(0)).adminPassword("pair-it-secret"),
                b[1].port(ItEnvironment.port(1)).adminPassword("pair-it-secret"));
        pair.a().execute("CREATE DATABASE app", "CREATE TABLE app.t (id INT PRIMARY KEY, uid BIGINT)");
        Files.writeString(dir.resolve("password"), "pair-it-secret\n");
        config = Files.writeString(dir.resolve("mitosis.yaml"), """
                split: {old.shards: 1, new.shards: 2}
                schemas: [app]
                credentials: {user: mitosis, password.file: password}
                kafka: {bootstrap.servers: "127.0.0.1:9"}
                pairs:
                  - pair: 0
                    servers:
                      - {name: p0-a, host: 127.0.0.1, port: %d}
                      - {name: p0-a0, host: 127.0.0.1, port: %d}
                """.formatted(pair.a().port(), pair.a0().port()));
    }

    @AfterAll
    static void stopPair() {
        if (pair != null) {
            pair.close();
        }
    }

    @Test
    void statusThenCutAfterWhichWritesStayOnTheirSide() {
        CliRun status = CliRun.of("pair", "status", "--config", config.toString(), "--pair", "0");
        assertThat(status.exitCode()).as(status.err()).isZero();
        assertThat(status.json().get("replicatingBothWays").asBoolean()).isTrue();

        pair.a().execute("INSERT INTO app.t VALUES (1, 10)");
        pair.a0().execute("INSERT INTO app.t VALUES (2, 11)");
        CliRun cut = CliRun.of("pair", "cut", "--config", config.toString(), "--pair", "0");

        assertThat(cut.exitCode()).as(cut.err()).isZero();
        JsonNode result = cut.json();
        assertThat(result.get("wasLinked").asBoolean()).isTrue();
        // Both writes made before the cut are on both sides: the cut waited for them.
        assertThat(pair.a().queryColumn("SELECT id FROM app.t ORDER BY id")).containsExactly("1", "2");
        assertThat(pair.a0().queryColumn("SELECT id FROM app.t ORDER BY id")).containsExactly("1", "2");
        assertThat(Replication.status(pair.a())).isEmpty();
        assertThat(Replication.status(pair.a0())).isEmpty();
        pair.a().execute("INSERT INTO app.t VALUES (3, 12)");
        assertThat(pair.a0().queryString("SELECT COUNT(*) FROM app.t WHERE id = 3")).isEqualTo("0");

        CliRun after = CliRun.of("pair", "status", "--config", config.toString(), "--pair", "0");
        assertThat(after.exitCode()).isEqualTo(1);
        assertThat(after.json().get("replicatingBothWays").asBoolean()).isFalse();
        CliRun again = CliRun.of("pair", "cut", "--config", config.toString(), "--pair", "0");
        assertThat(again.exitCode()).as("cut is idempotent").isZero();
        assertThat(again.json().get("wasLinked").asBoolean()).isFalse();
        assertThat(pair.awaitInSync(Duration.ofSeconds(1))).as("a0 never receives the post-cut write").isFalse();
    }

    @Test
    void aPairOutsideTheTopologyIsAUsageError() {
        CliRun run = CliRun.of("pair", "cut", "--config", config.toString(), "--pair", "3");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--pair 3", "0..0");
    }
}
