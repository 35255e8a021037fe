package dev.mitosis.ops.daemon;

import dev.mitosis.connectors.topology.MitosisConfig;
import dev.mitosis.connectors.topology.MitosisConfigLoader;
import dev.mitosis.connectors.topology.Server;
import dev.mitosis.ops.cli.ExitCodes;
import dev.mitosis.ops.cli.JsonOut;
import dev.mitosis.ops.cli.OperatorException;
import dev.mitosis.ops.cli.Progress;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code mitosis daemon}: the long-lived process systemd runs. It captures, verifies and purges what the config
 * assigns to it and serves its status over HTTP until SIGTERM, then shuts down in order within
 * {@code daemon.stop.timeout.ms} and exits 143.
 */
@Command(name = "daemon",
        mixinStandardHelpOptions = true,
        description = {
            "Run capture, continuous verification and purge workers for what the config assigns to this process, in"
                + " one JVM, with the HTTP status server: daemon.capture.servers (default all), daemon.verify.pairs"
                + " (default all, verified continuously: a full pass every daemon.verify.interval.ms and, while"
                + " capture runs, the PASS refreshed from the change stream every daemon.verify.refresh.interval.ms;"
                + " each verdict stored for the gate), daemon.purge.shards (default none; or POST /control"
                + " action=purge&shard=S), behind the same interlocks as `mitosis purge`; a refused purge checks them"
                + " again every purge.retry.interval.ms and starts once they hold.",
            "HTTP on http.bind.address:http.port (127.0.0.1:9464 by default): GET /health /ready /status"
                + " /gate?pair=P /metrics; POST /control (pause, resume, rate, purge) needs"
                + " 'Authorization: Bearer <token>' from http.token.file.",
            "With daemon.work.group set, the purge tables are divided among every daemon of the group through a"
                + " Kafka consumer group on <kafka.topic.prefix>.work, and the tables of each pair among the daemons"
                + " of the group that verify it (group <work.group>.verify.pair-P): each stores its tables' verdicts"
                + " in <kafka.topic.prefix>.verdicts.tables and one daemon per pair merges them into the verdict the"
                + " gate reads (PASS only if every table has a PASS).",
            "SIGTERM: stop control, stop purges after their chunk, stop verification (checkpoint kept), drain"
                + " capture (offsets committed), stop HTTP, within daemon.stop.timeout.ms; one JSON summary; exit 143.",
        },
        footer = {"", "Exit codes: 143 after SIGTERM, 130 after SIGINT, 2 config error, 1 failed to start.", "",
            "Example:", "  mitosis daemon --config /etc/mitosis/mitosis.yaml"})
public final class DaemonCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--config", required = true, paramLabel = "C", description = "mitosis.yaml")
    Path config;

    @Option(names = "--status-interval-s", defaultValue = "60", paramLabel = "N",
            description = "seconds between status lines on stderr (default: ${DEFAULT-VALUE})")
    int statusIntervalSeconds;

    @Override
    public Integer call() throws InterruptedException {
        MitosisConfig fleet = MitosisConfigLoader.withSystemEnvironment().load(config);
        DaemonSettings settings = DaemonSettings.from(fleet, config.toString(), config.toAbsolutePath().getParent());
        Progress progress = new Progress(spec.commandLine().getErr(), "mitosis daemon");
        Daemon daemon = new Daemon(fleet, settings, config, Clock.systemUTC());
        int code;
        Map<String, Object> steps;
        try (DaemonSignals signals = new DaemonSignals()) {
            try {
                daemon.start();
            } catch (java.io.UncheckedIOException | IllegalStateException e) {
                throw OperatorException.failed("cannot start: " + e.getMessage());
            }
            progress.say("running: capture %s, verify pairs %s, purge shards %s, http %s:%d, state %s",
                    settings.captureServers().stream().map(Server::name).toList(), settings.verifyPairs(),
                    settings.purgeShards(), settings.http().bindAddress(), daemon.httpPort(), settings.stateDir());
            while (!signals.await(Math.max(1, statusIntervalSeconds) * 1000L)) {
                progress.say("%s", statusLine(daemon));
            }
            progress.say("signal received: stopping in order (budget %d ms)", settings.stopTimeout().toMillis());
            steps = daemon.stop();
            code = signals.exitCode();
        } finally {
            daemon.stop();
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("command", "daemon");
        summary.put("state", daemon.state().name());
        summary.put("shutdown", steps);
        summary.put("status", new DaemonEndpoints(daemon).status());
        JsonOut.print(spec.commandLine().getOut(), summary);
        return code == 0 ? ExitCodes.TERMINATED : code;
    }

    private static String statusLine(Daemon daemon) {
        StringBuilder line = new StringBuilder("state=").append(daemon.state()).append(" ready=").append(daemon.ready());
        daemon.capture().ifPresent(c -> c.health().forEach(h -> line.append(" capture.").append(h.server())
                .append('=').append(h.state()).append("/lag_ms=").append(h.lagMillis())));
        daemon.verifiers().forEach(v -> line.append(" verify.pair").append(v.pair()).append('=').append(v.state())
                .append(v.last().map(r -> "/" + r.verdict()).orElse("")));
        daemon.purges().all().forEach(p -> line.append(" purge.shard").append(p.shard()).append('=').append(p.state()));
        return line.toString();
    }
}
