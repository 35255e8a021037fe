package dev.mitosis.capture;

import com.codahale.metrics.MetricRegistry;
import dev.mitosis.connectors.topology.MitosisConfig;
import dev.mitosis.connectors.topology.MitosisConfigLoader;
import dev.mitosis.connectors.topology.Server;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Capture as a bare process: {@code CaptureMain <config> [<server,server...>|all] [none|initial]}. Runs until
 * SIGTERM (which drains and commits) or until a server fails for good (exit 1). The {@code mitosis capture}
 * command is the operator's way in; this entry point is for a child JVM that tests and benchmarks kill -9.
 */
public final class CaptureMain {

    private CaptureMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: CaptureMain <mitosis.yaml> [<server,...>|all] [none|initial]");
            System.exit(2);
        }
        MitosisConfig config = MitosisConfigLoader.withSystemEnvironment().load(Path.of(args[0]));
        List<Server> servers = selectServers(config, args.length > 1 ? args[1] : "all");
        SnapshotMode mode = args.length > 2 ? SnapshotMode.parse(args[2]) : SnapshotMode.NONE;
        CaptureWorker worker = new CaptureWorker(config, servers, CaptureSettings.defaults().withSnapshotMode(mode),
                "mitosis capture --config " + args[0] + " --servers {server} --rebaseline", new MetricRegistry(),
                Clock.systemUTC());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            worker.close();
            stopped.countDown();
        }, "capture-shutdown"));
        worker.start();
        System.err.println("event=capture_main_started servers=" + servers.stream().map(Server::name).toList());
        while (!stopped.await(200, TimeUnit.MILLISECONDS)) {
            if (worker.state() == WorkerState.FAILED) {
                System.err.println("capture failed: " + worker.firstFailure().map(Throwable::getMessage).orElse("?"));
                worker.close();
                System.exit(1);
            }
        }
    }

    /** {@code all}, or a comma-separated list of server names, each of which must be in the topology. */
    public static List<Server> selectServers(MitosisConfig config, String names) {
        if (names.equals("all")) {
            return config.topology().servers();
        }
        List<Server> servers = new ArrayList<>();
        for (String name : Arrays.stream(names.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList()) {
            servers.add(config.topology().server(name).orElseThrow(() -> new IllegalArgumentException(
                    "server '" + name + "' is not in the topology (known: "
                            + config.topology().servers().stream().map(Server::name).toList() + ")")));
        }
        return servers;
    }
}
