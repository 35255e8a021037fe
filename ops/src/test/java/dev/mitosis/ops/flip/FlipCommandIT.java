package dev.mitosis.ops.flip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mitosis.connectors.kafka.KafkaClients;
import dev.mitosis.connectors.routing.ShardRouter;
import dev.mitosis.connectors.topology.MitosisConfig;
import dev.mitosis.connectors.topology.MitosisConfigLoader;
import dev.mitosis.ops.Main;
import dev.mitosis.testkit.ItEnvironment;
import dev.mitosis.testkit.KafkaBroker;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The flip as an operator runs it, against a real broker, with a router client following it. */
class FlipCommandIT {

    private static KafkaBroker broker;
    private static Path config;

    @BeforeAll
    static void start() throws IOException {
        Path dir = ItEnvironment.dirFor(FlipCommandIT.class);
        broker = KafkaBroker.inDir(dir.resolve("kafka"), ItEnvironment.port(0), ItEnvironment.port(1), false).start();
        Files.writeString(dir.resolve("password"), "unused-by-flip\n");
        config = Files.writeString(dir.resolve("mitosis.yaml"), """
                split: {old.shards: 2, new.shards: 4}
                schemas: [app]
                credentials: {user: mitosis, password.file: password}
                kafka: {bootstrap.servers: "%s", topic.prefix: flipit}
                pairs:
                  - pair: 0
                    servers:
                      - {name: p0-a, host: 127.0.0.1, port: 33061}
                      - {name: p0-a0, host: 127.0.0.1, port: 33062}
                  - pair: 1
                    servers:
                      - {name: p1-a, host: 127.0.0.1, port: 33063}
                      - {name: p1-a0, host: 127.0.0.1, port: 33064}
                """.formatted(broker.bootstrapServers()));
    }

    @AfterAll
    static void stop() {
        if (broker != null) {
            broker.stop();
        }
    }

    @Test
    void publishFollowSplitAndRefuseWhatCannotBeChecked() throws Exception {
        Run none = run(null, "flip", "status", "--config", config.toString());
        assertThat(none.code).as(none.err).isEqualTo(3);

        Run refused = run(null, "flip", "--config", config.toString(), "--to", "4");
        assertThat(refused.code).isEqualTo(1);
        assertThat(refused.err).contains("pair 0", "pair 1", "--force --reason");
        assertThat(run(null, "flip", "--config", config.toString(), "--to", "4", "--force").code).isEqualTo(2);
        assertThat(run(null, "flip", "--config", config.toString(), "--to", "3").code).isEqualTo(2);

        Run initial = run(null, "flip", "--config", config.toString(), "--to", "2");
        assertThat(initial.code).as(initial.err).isZero();
        assertThat(initial.json().get("epoch").asLong()).isEqualTo(1);

        MitosisConfig loaded = MitosisConfigLoader.withSystemEnvironment().load(config);
        try (ShardRouter router = ShardRouter.start(new KafkaClients(loaded.kafka()), "svc-a", Duration.ofSeconds(30))) {
            assertThat(router.route(2).endpoint().server()).isEqualTo("p0-a");
            await().atMost(Duration.ofSeconds(15)).until(() -> run(null, "flip", "status", "--config", config.toString()).code == 0);

            Run split = run(null, "flip", "--config", config.toString(), "--to", "4", "--force", "--reason", "IT: no verifier yet");
            assertThat(split.code).as(split.err).isZero();
            JsonNode published = split.json();
            assertThat(published.get("epoch").asLong()).isEqualTo(2);
            assertThat(published.get("forced").asBoolean()).isTrue();
            assertThat(published.get("reason").asText()).isEqualTo("IT: no verifier yet");
            assertThat(published.at("/shards/2/server").asText()).isEqualTo("p0-a0");
            assertThat(published.at("/shards/3/server").asText()).isEqualTo("p1-a0");

            await().atMost(Duration.ofSeconds(15)).until(() -> router.current().orElseThrow().epoch() == 2);
            assertThat(router.route(2).endpoint().server()).isEqualTo("p0-a0");
            await().atMost(Duration.ofSeconds(15)).until(() -> run(null, "flip", "status", "--config", config.toString()).code == 0);
            Run again = run(null, "flip", "--config", config.toString(), "--to", "4");
            assertThat(again.code).isZero();
            assertThat(again.json().get("published").asBoolean()).isFalse();

            Run rollbackRefused = run(fixed(List.of("shard 2: purge started at 10:00")), "flip", "--config", config.toString(), "--to", "2");
            assertThat(rollbackRefused.code).isEqualTo(1);
            assertThat(rollbackRefused.err).contains("shard 2: purge started");
            Run forcedRollback = run(fixed(List.of("shard 2: purge started")), "flip", "--config", config.toString(),
                    "--to", "2", "--force", "--reason", "no");
            assertThat(forcedRollback.code).as("--force never passes a started purge").isEqualTo(1);

            Run rollback = run(fixed(List.of()), "flip", "--config", config.toString(), "--to", "2");
            assertThat(rollback.code).as(rollback.err).isZero();
            assertThat(rollback.json().get("epoch").asLong()).isEqualTo(3);
            await().atMost(Duration.ofSeconds(15)).until(() -> router.current().orElseThrow().modulus() == 2);
            assertThat(router.route(2).endpoint().server()).isEqualTo("p0-a");
        }
    }

    private static FlipPreconditions fixed(List<String> purges) {
        return new FlipPreconditions() {
            @Override
            public List<dev.mitosis.connectors.routing.GateRecord> gates(MitosisConfig c) {
                return List.of();
            }

            @Override
            public List<String> purgesStarted(MitosisConfig c) {
                return purges;
            }
        };
    }

    /** Through Main, or (with preconditions) through the flip command alone, as the daemon wires it. */
    private static Run run(FlipPreconditions preconditions, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code;
        if (preconditions == null) {
            code = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        } else {
            FlipCommand flip = new FlipCommand();
            flip.preconditions = preconditions;
            CommandLine cli = new CommandLine(flip);
            cli.setOut(new PrintWriter(out, true));
            cli.setErr(new PrintWriter(err, true));
            cli.setExitCodeExceptionMapper(e -> e instanceof dev.mitosis.ops.cli.OperatorException o ? o.exitCode() : 1);
            cli.setExecutionExceptionHandler((e, c, p) -> {
                err.write(e.getMessage());
                return e instanceof dev.mitosis.ops.cli.OperatorException o ? o.exitCode() : 1;
            });
            code = cli.execute(java.util.Arrays.copyOfRange(args, 1, args.length));
        }
        return new Run(code, out.toString(), err.toString());
    }

    private record Run(int code, String out, String err) {
        JsonNode json() throws IOException {
            return new ObjectMapper().readTree(out);
        }
    }
}
