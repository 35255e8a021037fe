package dev.mitosis.ops.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mitosis.testkit.DualMasterPair;
import dev.mitosis.testkit.KafkaBroker;
import dev.mitosis.testkit.MariaDbServer;
import dev.mitosis.testkit.OwnedProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * How long the real parts take to start, and how much memory each process holds: one server (fresh data dir, then
 * a restart), a linked pair, the broker (fresh, then a restart). Run by {@code ops/bench/startup}; prints one JSON
 * object. Not a test: timings are reported, never asserted.
 */
public final class StartupBench {

    private StartupBench() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createDirectories(Path.of(args.length > 0 ? args[0] : "target/bench-startup").toAbsolutePath());
        Map<String, Object> result = new LinkedHashMap<>();

        MariaDbServer server = MariaDbServer.builder("single").baseDir(dir).serverId(1).gtidDomainId(1).build();
        result.put("server_fresh_s", seconds(server::start));
        result.put("server_rss_mib", rssMib(server.process().orElseThrow()));
        server.stop();
        result.put("server_restart_s", seconds(server::start));
        server.stop();

        MariaDbServer.Builder[] b = DualMasterPair.builders(dir, "pair", 0);
        DualMasterPair pair = timed(result, "pair_fresh_s", () -> DualMasterPair.start(b[0], b[1]));
        pair.close();

        KafkaBroker broker = KafkaBroker.inDir(dir.resolve("kafka"), 0, 0, false);
        result.put("broker_fresh_s", seconds(broker::start));
        result.put("broker_rss_mib", rssMib(broker.process().orElseThrow()));
        broker.stop();
        result.put("broker_restart_s", seconds(broker::start));
        broker.stop();

        System.out.println(new ObjectMapper().writeValueAsString(result));
    }

    private static double seconds(Runnable step) {
        long start = System.nanoTime();
        step.run();
        return Math.round((System.nanoTime() - start) / 1e7) / 100.0;
    }

    private static <T> T timed(Map<String, Object> result, String key, Supplier<T> step) {
        long start = System.nanoTime();
        T value = step.get();
        result.put(key, Math.round((System.nanoTime() - start) / 1e7) / 100.0);
        return value;
    }

    private static long rssMib(OwnedProcess process) {
        return process.rssKib() / 1024;
    }
}
