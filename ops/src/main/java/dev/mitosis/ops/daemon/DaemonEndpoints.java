package dev.mitosis.ops.daemon;

import dev.mitosis.capture.ServerHealth;
import dev.mitosis.ops.http.StatusEndpoints;
import dev.mitosis.verifier.Gate;
import dev.mitosis.verifier.PairReport;
import dev.mitosis.verifier.Verdict;
import dev.mitosis.verifier.VerifySettings;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What the daemon answers over HTTP: its workers' status, the gate of a pair, and control of its purges. */
final class DaemonEndpoints implements StatusEndpoints {

    private final Daemon daemon;

    DaemonEndpoints(Daemon daemon) {
        this.daemon = daemon;
    }

    @Override
    public boolean ready() {
        return daemon.ready();
    }

    @Override
    public Object status() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("state", daemon.state().name());
        s.put("ready", daemon.ready());
        List<Object> workers = new ArrayList<>();
        daemon.capture().ifPresent(c -> {
            Map<String, Object> capture = new LinkedHashMap<>();
            capture.put("worker", "capture");
            capture.put("state", c.state().name());
            capture.put("servers", c.health().stream().map(DaemonEndpoints::json).toList());
            c.firstFailure().ifPresent(f -> capture.put("error", f.getMessage()));
            workers.add(capture);
        });
        daemon.verifiers().forEach(v -> workers.add(v.status()));
        daemon.purges().all().forEach(p -> workers.add(p.status()));
        s.put("workers", workers);
        if (daemon.work() != null) {
            Map<String, Object> work = new LinkedHashMap<>();
            work.put("group", daemon.settings().workGroup().orElse(null));
            work.put("partitions", daemon.work().partitions());
            work.put("owned", daemon.work().owned().stream().sorted().toList());
            s.put("work", work);
        }
        return s;
    }

    private static Map<String, Object> json(ServerHealth h) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("server", h.server());
        m.put("state", h.state().name());
        m.put("processedGtid", h.processedGtid().orElse(null));
        m.put("lastGtid", h.lastGtid().orElse(null));
        m.put("lagMs", h.lagMillis());
        m.put("events", h.events());
        m.put("eventsPerSecond", h.eventsPerSecond());
        m.put("retries", h.retries());
        h.error().ifPresent(e -> m.put("error", e));
        return m;
    }

    @Override
    public Answer gate(int pair) {
        if (pair >= daemon.config().topology().oldShards()) {
            return new Answer(404, Map.of("error", "pair " + pair + " is not in the topology (pairs 0.."
                    + (daemon.config().topology().oldShards() - 1) + ")"));
        }
        Optional<PairReport> stored;
        String storeProblem = null;
        try {
            stored = daemon.verdicts().latest(pair);
        } catch (RuntimeException e) {
            // A store that cannot be read proves nothing: UNKNOWN, with the reason.
            stored = Optional.empty();
            storeProblem = "cannot read the verdict store: " + e.getMessage();
        }
        Gate.Decision d = Gate.decide(pair, stored, daemon.clock().instant(),
                VerifySettings.from(daemon.config()).maxAge());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("pair", pair);
        body.put("verdict", d.verdict());
        body.put("reason", storeProblem != null ? storeProblem : d.reason());
        body.put("storedVerdict", d.storedVerdict());
        body.put("ageMs", d.ageMs());
        body.put("maxAgeMs", d.maxAgeMs());
        if (d.report() != null) {
            body.put("finishedAt", d.report().finishedAt());
            body.put("gtidA", d.report().gtidA());
            body.put("gtidA0", d.report().gtidA0());
            body.put("coverage", d.report().totals());
        }
        int status = d.verdict() == Verdict.PASS ? 200 : d.verdict() == Verdict.FAIL ? 409 : 503;
        return new Answer(status, body);
    }

    @Override
    public Answer control(Map<String, String> parameters) {
        if (!daemon.acceptingControl()) {
            return new Answer(503, Map.of("error", "the daemon is shutting down: control is closed"));
        }
        return new PurgeControlRequest(daemon.purges(), daemon.config().topology().newShards()).apply(parameters);
    }
}
