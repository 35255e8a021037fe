package dev.mitosis.ops.split;

import dev.mitosis.connectors.routing.ShardMapVersion;
import dev.mitosis.connectors.topology.MitosisConfig;
import dev.mitosis.connectors.topology.Pair;
import dev.mitosis.connectors.topology.Server;
import dev.mitosis.purger.InterlockResult;
import dev.mitosis.verifier.Gate;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The runbook as a state machine: for each old shard, the evidence of each step (verified, flipped, cut,
 * re-paired, purging, proven) and the one command to run next. A step counts as done only on its own evidence; a
 * step whose evidence cannot be read is {@code unknown}, and the stage stops before it.
 */
final class SplitStatus {

    /** The state of one step: done, not done, or unknown, with the evidence in words. */
    record Check(String state, String evidence) {
        static final String DONE = "done";
        static final String TODO = "todo";
        static final String UNKNOWN = "unknown";

        boolean done() {
            return DONE.equals(state);
        }

        static Check of(boolean done, String evidence) {
            return new Check(done ? DONE : TODO, evidence);
        }

        static Check unknown(String evidence) {
            return new Check(UNKNOWN, evidence);
        }
    }

    /** One new shard of an old one: its server, re-pair and purge evidence. */
    record NewShard(int shard, String server, Check repaired, Check purged, Double purgePercent, long purgeDeleted,
                    long purgeRemaining, Check proven) {
    }

    /** One old shard: every step's check, its stage (the last step done in order) and the next command. */
    record OldShard(int shard, String a, String a0, Check verified, Check flipped, Check cut, List<NewShard> newShards,
                    String stage, String next) {
    }

    /** The whole split. */
    record Report(int oldShards, int newShards, Long epoch, Integer modulus, List<OldShard> shards, boolean complete,
                  String next) {
    }

    private final MitosisConfig config;
    private final SplitEvidence evidence;
    private final String configArg;

    SplitStatus(MitosisConfig config, SplitEvidence evidence, Path configPath) {
        this.config = config;
        this.evidence = evidence;
        this.configArg = configPath.toString();
    }

    Report read() {
        int n = config.topology().oldShards();
        Optional<ShardMapVersion> map;
        Check flipped;
        try {
            map = evidence.shardMap();
            flipped = map.map(m -> Check.of(m.modulus() == 2 * n, "epoch " + m.epoch() + " routes by uid % "
                    + m.modulus() + " since " + m.publishedAt())).orElse(Check.of(false, "no shard map published"));
        } catch (RuntimeException e) {
            map = Optional.empty();
            flipped = Check.unknown("the routing topic cannot be read: " + e.getMessage());
        }
        List<Gate.Decision> gates = null;
        String gatesProblem = null;
        try {
            gates = evidence.gates();
        } catch (RuntimeException e) {
            gatesProblem = "the verdict store cannot be read: " + e.getMessage();
        }
        List<OldShard> shards = new ArrayList<>();
        for (Pair pair : config.topology().pairs()) {
            Check verified = gates == null ? Check.unknown(gatesProblem) : verified(gates.get(pair.number()), flipped);
            shards.add(oldShard(pair, verified, flipped));
        }
        boolean complete = shards.stream().allMatch(s -> s.next() == null);
        String next = shards.stream().map(OldShard::next).filter(s -> s != null).findFirst().orElse(null);
        return new Report(n, 2 * n, map.map(ShardMapVersion::epoch).orElse(null),
                map.map(ShardMapVersion::modulus).orElse(null), shards, complete, next);
    }

    /** After the flip the gate that counts is the one recorded with it; before, the fresh stored verdict. */
    private static Check verified(Gate.Decision gate, Check flipped) {
        boolean pass = "PASS".equals(gate.verdict().name());
        if (!pass && flipped.done() && "PASS".equals(String.valueOf(gate.storedVerdict()))) {
            return Check.of(true, "PASS stored (now older than the max age; the flip recorded the gate)");
        }
        return Check.of(pass, gate.verdict() + ": " + gate.reason());
    }

    private OldShard oldShard(Pair pair, Check verified, Check flipped) {
        InterlockResult result = evidence.cut(pair);
        Check cut = result.reason().startsWith("cannot check") ? Check.unknown(result.reason())
                : Check.of(result.holds(), result.reason());
        int n = config.topology().oldShards();
        List<NewShard> newShards = new ArrayList<>();
        for (int shard : new int[] {pair.number(), pair.number() + n}) {
            newShards.add(newShard(shard, shard < n ? pair.a() : pair.a0(), shard < n ? pair.a0() : pair.a()));
        }
        String stage = "not started";
        String next = null;
        String cfg = "--config " + configArg;
        if (!verified.done()) {
            next = unknownOr(verified, "mitosis verify " + cfg + " --pair " + pair.number() + " --once");
        } else if (!flipped.done()) {
            stage = "verified";
            next = unknownOr(flipped, "mitosis flip " + cfg + " --to " + 2 * n);
        } else if (!cut.done()) {
            stage = "flipped";
            next = unknownOr(cut, "mitosis pair cut " + cfg + " --pair " + pair.number());
        } else {
            stage = "cut";
            Optional<NewShard> unpaired = newShards.stream().filter(s -> !s.repaired().done()).findFirst();
            Optional<NewShard> unpurged = newShards.stream().filter(s -> !s.purged().done()).findFirst();
            Optional<NewShard> unproven = newShards.stream().filter(s -> !s.proven().done()).findFirst();
            if (unpaired.isPresent()) {
                next = unpaired.get().repaired().state().equals(Check.UNKNOWN) ? "find out why this cannot be read: "
                        + unpaired.get().repaired().evidence() : "give new shard " + unpaired.get().shard() + " (" + unpaired.get().server() + ") a new HA partner"
                        + " from a consistent dump (docs/RUNBOOK.md, step 5)";
            } else if (unpurged.isPresent()) {
                stage = newShards.stream().anyMatch(s -> s.purgeDeleted() > 0) ? "purging" : "re-paired";
                next = unknownOr(unpurged.get().purged(), "mitosis purge " + cfg + " --shard " + unpurged.get().shard());
            } else if (unproven.isPresent()) {
                stage = "purged";
                next = "mitosis prove " + cfg + " --shard " + unproven.get().shard();
            } else {
                stage = "proven";
            }
        }
        return new OldShard(pair.number(), pair.a().name(), pair.a0().name(), verified, flipped, cut, newShards, stage,
                next);
    }

    /** The step's command, unless its evidence could not be read: then finding out comes first. */
    private static String unknownOr(Check check, String command) {
        return Check.UNKNOWN.equals(check.state()) ? "find out why this cannot be read: " + check.evidence() : command;
    }

    private NewShard newShard(int shard, Server server, Server oldSibling) {
        Check repaired;
        try {
            List<String> links = evidence.newPartnerLinks(server, oldSibling);
            repaired = Check.of(!links.isEmpty(), links.isEmpty() ? "no healthy replication from a new partner"
                    : "replicates from " + String.join(", ", links));
        } catch (Exception e) {
            repaired = Check.unknown(server.name() + ": " + e.getMessage());
        }
        Check purged;
        Double percent = null;
        long deleted = 0;
        long remaining = 0;
        try {
            SplitEvidence.Purge p = evidence.purge(shard);
            percent = p.percent();
            deleted = p.deleted();
            remaining = p.remaining();
            purged = Check.of(p.done(), !p.started() ? "not started; " + p.remaining() + " rows to purge"
                    : String.format("%.1f%%: %d rows deleted, %d to go, %d/%d tables done", p.percent(), p.deleted(),
                    p.remaining(), p.tablesDone(), p.tables()));
        } catch (Exception e) {
            purged = Check.unknown(server.name() + ": " + e.getMessage());
        }
        // No proof result is stored anywhere yet: only `mitosis prove` itself can tell.
        Check proven = Check.unknown("no stored proof result; run mitosis prove --shard " + shard);
        return new NewShard(shard, server.name(), repaired, purged, percent, deleted, remaining, proven);
    }
}
