package dev.mitosis.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mitosis.testkit.ItEnvironment;
import dev.mitosis.testkit.OwnedProcess;
import dev.mitosis.testkit.Ports;
import dev.mitosis.testkit.ProcessReaper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The sandbox commands as an operator runs them, on real servers and a real broker. */
class SandboxIT {

    private static Path base;

    @BeforeAll
    static void prepare() {
        base = ItEnvironment.dirFor(SandboxIT.class);
    }

    @AfterAll
    static void reapEverything() {
        ProcessReaper.reapUnder(base, Duration.ofSeconds(30));
    }

    @Test
    void upStatusDownLeavesNoProcessAndEveryPortFree() {
        Path dir = base.resolve("lifecycle");

        CliRun up = CliRun.of("sandbox", "up", "--pairs", "1", "--rows", "2000", "--dir", dir.toString());
        assertThat(up.exitCode()).as(up.err()).isZero();
        JsonNode sandbox = up.json().get("sandbox");
        assertThat(sandbox.get("schema").asText()).isEqualTo("app");
        assertThat(Path.of(sandbox.get("config").asText())).exists();
        assertThat(sandbox.at("/kafka/bootstrap").asText()).startsWith("127.0.0.1:");
        JsonNode servers = sandbox.at("/pairs/0/servers");
        assertThat(servers).hasSize(2);
        assertThat(servers.get(0).get("role").asText()).isEqualTo("A");
        assertThat(servers.get(1).get("role").asText()).isEqualTo("A0");
        for (JsonNode s : servers) {
            assertThat(s.get("host").asText()).isEqualTo("127.0.0.1");
            assertThat(s.get("user").asText()).isNotEmpty();
            assertThat(s.get("password").asText()).isNotEmpty();
        }

        CliRun validate = CliRun.of("config", "validate", "--config", sandbox.get("config").asText());
        assertThat(validate.exitCode()).as(validate.err()).isZero();
        assertThat(validate.json().get("newShards").asInt()).isEqualTo(2);

        CliRun status = CliRun.of("sandbox", "status", "--dir", dir.toString());
        assertThat(status.exitCode()).as(status.err()).isZero();
        JsonNode report = status.json();
        assertThat(report.get("healthy").asBoolean()).isTrue();
        List<Long> pids = new ArrayList<>();
        pids.add(report.at("/kafka/pid").asLong());
        report.get("servers").forEach(s -> pids.add(s.get("pid").asLong()));
        assertThat(pids).hasSize(3).doesNotContain(0L);
        // Both servers of the pair hold the same rows: A's load reached A0 by replication.
        assertThat(report.get("servers").get(0).get("gtidBinlogPos").asText())
                .isEqualTo(report.get("servers").get(1).get("gtidBinlogPos").asText());

        CliRun again = CliRun.of("sandbox", "up", "--pairs", "1", "--dir", dir.toString());
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.err()).contains("already runs");
        assertThat(ProcessReaper.findUnder(dir)).hasSize(3);

        CliRun down = CliRun.of("sandbox", "down", "--dir", dir.toString());
        assertThat(down.exitCode()).as(down.err()).isZero();
        assertThat(down.json().get("stopped")).hasSize(3);
        assertThat(ProcessReaper.findUnder(dir)).isEmpty();
        // A stopped child of this JVM is a zombie until the JDK's reaper thread collects it, a moment later.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> pids.forEach(pid ->
                assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("pid %d", pid).isFalse()));
        portsOf(dir).forEach(port -> assertThat(Ports.inUse(port)).as("port %d", port).isFalse());
    }

    @Test
    void downReapsWhatAKilledUpLeftBehind() throws Exception {
        Path dir = base.resolve("killed");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process cli = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "sandbox", "up", "--pairs", "1", "--rows", "1000", "--dir", dir.toString())
                .redirectErrorStream(true)
                .redirectOutput(base.resolve("killed-cli.log").toFile())
                .start();
        try {
            await().atMost(Duration.ofSeconds(90)).until(() -> ProcessReaper.findUnder(dir).size() >= 2);
        } finally {
            cli.destroyForcibly().waitFor();
        }
        List<OwnedProcess> leftBehind = ProcessReaper.findUnder(dir);
        assertThat(leftBehind).as("servers the killed CLI started").isNotEmpty();

        CliRun down = CliRun.of("sandbox", "down", "--dir", dir.toString());

        assertThat(down.exitCode()).as(down.err()).isZero();
        assertThat(ProcessReaper.findUnder(dir)).isEmpty();
        leftBehind.forEach(p -> assertThat(p.isAlive()).as(p.toString()).isFalse());
        assertThat(portsOf(dir)).isNotEmpty();
        portsOf(dir).forEach(port -> assertThat(Ports.inUse(port)).as("port %d", port).isFalse());
    }

    /** Every port the sandbox planned, from sandbox.json (written with them before anything starts). */
    private static List<Integer> portsOf(Path dir) {
        try {
            JsonNode manifest = new com.fasterxml.jackson.databind.ObjectMapper().readTree(dir.resolve("sandbox.json").toFile());
            List<Integer> ports = new ArrayList<>();
            ports.add(manifest.at("/kafka/port").asInt());
            ports.add(manifest.at("/kafka/controllerPort").asInt());
            manifest.get("pairs").forEach(p -> p.get("servers").forEach(s -> ports.add(s.get("port").asInt())));
            return ports;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

}
