package dev.mitosis.ops.sandbox;

import dev.mitosis.ops.cli.Progress;
import dev.mitosis.testkit.OwnedProcess;
import dev.mitosis.testkit.Ports;
import dev.mitosis.testkit.ProcessReaper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code mitosis sandbox down}: ends every process that {@code up} started in the dir, and nothing else. It works
 * from the pid files, each checked against the process's command line, so it also reaps the servers of an
 * {@code up} that was killed half way, before {@code sandbox.json} was complete.
 */
public final class SandboxDown {

    /** SIGTERM is an orderly shutdown for mariadbd and Kafka alike; SIGKILL only after this. */
    private static final Duration GRACE = Duration.ofSeconds(60);

    public record Result(String dir, List<Long> stopped, List<Integer> ports, List<Integer> portsStillInUse) {
    }

    private SandboxDown() {
    }

    public static Result run(Path dir, Progress progress) {
        SandboxLayout layout = new SandboxLayout(dir);
        List<OwnedProcess> stopped = ProcessReaper.reapUnder(layout.dir(), GRACE);
        stopped.forEach(p -> progress.say("stopped %s", p));
        List<Integer> ports = new ArrayList<>();
        List<Integer> busy = new ArrayList<>();
        if (SandboxManifest.existsIn(layout.dir())) {
            SandboxManifest manifest = SandboxManifest.read(layout.dir());
            ports.add(manifest.kafka().port());
            ports.add(manifest.kafka().controllerPort());
            manifest.servers().forEach(s -> ports.add(s.port()));
            ports.stream().filter(Ports::inUse).forEach(busy::add);
            manifest.withState("down").write(layout.dir());
        }
        progress.say("%d process(es) stopped in %s%s", stopped.size(), layout.dir(),
                busy.isEmpty() ? "; every sandbox port is free" : "; ports still in use by others: " + busy);
        return new Result(layout.dir().toString(), stopped.stream().map(OwnedProcess::pid).toList(), ports, busy);
    }
}
