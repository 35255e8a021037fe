package dev.mitosis.ops.daemon;

import dev.mitosis.connectors.topology.MitosisConfig;
import dev.mitosis.connectors.topology.MitosisConfigLoader;
import dev.mitosis.ops.http.StatusEndpoints.Answer;
import dev.mitosis.purger.PurgeSettings;
import dev.mitosis.purger.internal.ControlFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code POST /control} parameters: checked with a usage line, and routed into the shard's control file in the
 * very format the purger reads (its own parser reads what the daemon wrote). No purge is started here.
 */
class PurgeControlRequestTest {

    @TempDir
    Path dir;

    private PurgeControlRequest request() {
        MitosisConfig config = new MitosisConfigLoader(Map.of("PW", "x")::get).parse(String.join("\n",
                "split: {old.shards: 1, new.shards: 2}", "schemas: [app]",
                "credentials: {user: mitosis, password.env: PW}", "kafka: {bootstrap.servers: '127.0.0.1:9092'}",
                "pairs:", "  - pair: 0", "    servers:", "      - {name: a, host: 127.0.0.1, port: 3301}",
                "      - {name: a0, host: 127.0.0.1, port: 3302}", ""), "mitosis.yaml", dir);
        return new PurgeControlRequest(new PurgeWorkers(config, PurgeSettings.defaults(), dir,
                java.time.Duration.ofSeconds(30), 1), 2);
    }

    @Test
    void pauseResumeAndRateGoToTheShardsControlFileAsThePurgerReadsIt() throws Exception {
        PurgeControlRequest control = request();
        Path file = dir.resolve("purge").resolve("shard-1.control");

        assertThat(control.apply(Map.of("action", "pause", "shard", "1")).httpStatus()).isEqualTo(200);
        assertThat(control.apply(Map.of("action", "rate", "shard", "1", "rows.per.second", "250")).httpStatus())
                .isEqualTo(200);
        ControlFile.Commands read = new ControlFile(file).read();
        assertThat(read.pause()).isTrue();
        assertThat(read.rate()).hasValue(250);
        assertThat(read.problem()).isEmpty();

        Answer resumed = control.apply(Map.of("action", "resume", "shard", "1"));
        assertThat(resumed.httpStatus()).isEqualTo(200);
        assertThat(resumed.body().toString()).contains("pausedOld=true").contains("pausedNew=false");
        read = new ControlFile(file).read();
        assertThat(read.pause()).isFalse();
        assertThat(read.rate()).hasValue(250);
        assertThat(Files.list(file.getParent())).hasSize(1);
        // A new request object reads the file back: the state outlives the daemon.
        assertThat(new PurgeControl(file).rate()).hasValue(250);
    }

    @Test
    void badRequestsAreRefusedWithTheUsage() {
        PurgeControlRequest control = request();

        assertThat(control.apply(Map.of("action", "purge")).httpStatus()).isEqualTo(400);
        assertThat(control.apply(Map.of("action", "pause", "shard", "2")).httpStatus()).isEqualTo(400);
        assertThat(control.apply(Map.of("action", "pause", "shard", "-1")).httpStatus()).isEqualTo(400);
        assertThat(control.apply(Map.of("action", "rate", "shard", "0", "rows.per.second", "fast")).httpStatus())
                .isEqualTo(400);
        Answer unknown = control.apply(Map.of("action", "delete-everything"));
        assertThat(unknown.httpStatus()).isEqualTo(400);
        assertThat(unknown.body().toString()).contains("action=purge&shard=S");
        // pause without a shard means every purge of this daemon: there is none yet.
        assertThat(control.apply(Map.of("action", "pause")).httpStatus()).isEqualTo(409);
    }
}
