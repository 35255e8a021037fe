package dev.mitosis.ops.flip;

import dev.mitosis.connectors.mariadb.ServerConnector;
import dev.mitosis.connectors.routing.GateRecord;
import dev.mitosis.connectors.topology.MitosisConfig;
import dev.mitosis.connectors.topology.Pair;
import dev.mitosis.connectors.topology.Server;
import dev.mitosis.purger.PurgeHistory;
import dev.mitosis.verifier.Gate;
import dev.mitosis.verifier.KafkaVerdictStore;
import dev.mitosis.verifier.Verdict;
import dev.mitosis.verifier.VerifySettings;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The flip's preconditions as the fleet answers them: each pair's gate from the stored verdicts (a fresh PASS, by
 * {@code verify.max.age.ms}), and each server's purge checkpoints. What cannot be read counts as not holding.
 */
final class FleetPreconditions implements FlipPreconditions {

    @Override
    public List<GateRecord> gates(MitosisConfig config) {
        List<GateRecord> gates = new ArrayList<>();
        try (KafkaVerdictStore store = new KafkaVerdictStore(config.kafka())) {
            for (Pair pair : config.topology().pairs()) {
                Gate.Decision d = Gate.decide(pair.number(), store.latest(pair.number()), Instant.now(),
                        VerifySettings.from(config).maxAge());
                gates.add(new GateRecord(pair.number(), d.verdict().name(),
                        d.report() == null ? null : d.report().finishedAt(), d.reason()));
            }
        } catch (RuntimeException e) {
            for (Pair pair : config.topology().pairs()) {
                gates.add(new GateRecord(pair.number(), Verdict.UNKNOWN.name(), null,
                        "the verdicts cannot be read: " + e.getMessage()));
            }
        }
        return gates;
    }

    @Override
    public List<String> purgesStarted(MitosisConfig config) {
        List<String> problems = new ArrayList<>();
        for (Server server : config.topology().servers()) {
            try (Connection c = new ServerConnector(server).open()) {
                Optional<PurgeHistory.Started> started = PurgeHistory.of(c);
                started.ifPresent(s -> problems.add("new shard " + s.newShard() + " on " + server.name()
                        + ": a purge started (" + s.table() + ", " + s.rowsDeleted() + " rows deleted, since " + s.since() + ")"));
            } catch (SQLException e) {
                problems.add(server.name() + ": cannot tell whether a purge started (" + e.getMessage() + ")");
            }
        }
        return problems;
    }
}
