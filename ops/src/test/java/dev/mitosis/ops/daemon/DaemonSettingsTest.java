package dev.mitosis.ops.daemon;

import dev.mitosis.connectors.config.ConfigException;
import dev.mitosis.connectors.topology.MitosisConfig;
import dev.mitosis.connectors.topology.MitosisConfigLoader;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The daemon's config keys: sensible defaults, and every bad value named by its key. */
class DaemonSettingsTest {

    private static final Path DIR = Path.of("/etc/mitosis");

    private static MitosisConfig load(String extra) {
        String yaml = String.join("\n",
                "split: {old.shards: 2, new.shards: 4}",
                "schemas: [app]",
                "credentials: {user: mitosis, password.env: PW}",
                "kafka: {bootstrap.servers: '127.0.0.1:9092'}",
                "pairs:",
                "  - pair: 0",
                "    servers:",
                "      - {name: p0-a, host: 127.0.0.1, port: 3301}",
                "      - {name: p0-a0, host: 127.0.0.1, port: 3302}",
                "  - pair: 1",
                "    servers:",
                "      - {name: p1-a, host: 127.0.0.1, port: 3303}",
                "      - {name: p1-a0, host: 127.0.0.1, port: 3304}",
                extra, "");
        return new MitosisConfigLoader(Map.of("PW", "secret")::get).parse(yaml, "mitosis.yaml", DIR);
    }

    @Test
    void withoutTheSectionsItCapturesAndVerifiesEverythingPurgesNothingAndListensOnLoopback() {
        DaemonSettings s = DaemonSettings.from(load(""), "mitosis.yaml", DIR);

        assertThat(s.captureServers()).extracting(v -> v.name()).containsExactly("p0-a", "p0-a0", "p1-a", "p1-a0");
        assertThat(s.verifyPairs()).containsExactly(0, 1);
        assertThat(s.purgeShards()).isEmpty();
        assertThat(s.stopTimeout()).isEqualTo(Duration.ofSeconds(20));
        assertThat(s.verifyInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.verifyRefreshInterval()).isEqualTo(Duration.ofMillis(200));
        assertThat(s.purgeRetryInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.stateDir()).isEqualTo(DIR.resolve("mitosis-daemon"));
        assertThat(s.workGroup()).isEmpty();
        assertThat(s.http().bindAddress()).isEqualTo("127.0.0.1");
        assertThat(s.http().tokenFile()).isEmpty();
    }

    @Test
    void assignsWhatTheSectionsSay() {
        DaemonSettings s = DaemonSettings.from(load(String.join("\n",
                "daemon: {capture.servers: [p1-a0], verify.pairs: ['1'], purge.shards: ['3', '3'], work.group: g1,"
                        + " state.dir: /var/lib/mitosis, verify.interval.ms: 5000, verify.refresh.interval.ms: 50}",
                "purge: {retry.interval.ms: 2000}",
                "http: {port: 0, token.file: token, bind.address: 0.0.0.0}")), "mitosis.yaml", DIR);

        assertThat(s.captureServers()).extracting(v -> v.name()).containsExactly("p1-a0");
        assertThat(s.verifyPairs()).containsExactly(1);
        assertThat(s.purgeShards()).containsExactly(3);
        assertThat(s.workGroup()).contains("g1");
        assertThat(s.stateDir()).isEqualTo(Path.of("/var/lib/mitosis"));
        assertThat(s.verifyInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(s.verifyRefreshInterval()).isEqualTo(Duration.ofMillis(50));
        assertThat(s.purgeRetryInterval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(s.http().port()).isZero();
        assertThat(s.http().bindAddress()).isEqualTo("0.0.0.0");
        assertThat(s.http().tokenFile()).isEqualTo(Optional.of(DIR.resolve("token")));
    }

    @Test
    void emptyListsRunNothing() {
        DaemonSettings s = DaemonSettings.from(load("daemon: {capture.servers: [], verify.pairs: []}"),
                "mitosis.yaml", DIR);

        assertThat(s.captureServers()).isEmpty();
        assertThat(s.verifyPairs()).isEmpty();
    }

    @Test
    void everyServerPairAndShardTheFleetDoesNotHaveIsNamedByItsKey() {
        MitosisConfig config = load("daemon: {capture.servers: [p9-a, all], verify.pairs: ['2'], purge.shards: ['4']}");

        assertThatThrownBy(() -> DaemonSettings.from(config, "mitosis.yaml", DIR))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
                        .extracting(Object::toString)
                        .anySatisfy(p -> assertThat(p).startsWith("daemon.capture.servers:").contains("mixes all"))
                        .anySatisfy(p -> assertThat(p).startsWith("daemon.verify.pairs: 2 is not a pair")
                                .contains("[0, 1]"))
                        .anySatisfy(p -> assertThat(p).startsWith("daemon.purge.shards: 4 is not a new shard")
                                .contains("[0, 3]")));
        assertThatThrownBy(() -> DaemonSettings.from(load("daemon: {capture.servers: [p9-a]}"), "mitosis.yaml", DIR))
                .hasMessageContaining("daemon.capture.servers: p9-a is not a server of the topology");
    }

    @Test
    void valuesOfTheWrongShapeAreRefusedWhenTheConfigLoads() {
        assertThatThrownBy(() -> load("daemon: {purge.shards: [all]}"))
                .hasMessageContaining("daemon.purge.shards");
        assertThatThrownBy(() -> load("http: {port: 70000}")).hasMessageContaining("http.port");
        assertThatThrownBy(() -> load("daemon: {stop.timeout.ms: 10}")).hasMessageContaining("daemon.stop.timeout.ms");
        assertThatThrownBy(() -> load("daemon: {verify.pairs: [x]}")).hasMessageContaining("daemon.verify.pairs");
    }
}
