package dev.mitosis.ops.split;

import dev.mitosis.connectors.routing.ShardEndpoint;
import dev.mitosis.connectors.routing.ShardMapVersion;
import dev.mitosis.connectors.topology.MitosisConfig;
import dev.mitosis.connectors.topology.MitosisConfigLoader;
import dev.mitosis.connectors.topology.Pair;
import dev.mitosis.connectors.topology.Server;
import dev.mitosis.purger.InterlockResult;
import dev.mitosis.verifier.Gate;
import dev.mitosis.verifier.Verdict;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The runbook as a state machine: each step's evidence moves an old shard on, and the next command follows it. */
class SplitStatusTest {

    private static final Path CONFIG = Path.of("fleet/mitosis.yaml");
    private static final MitosisConfig FLEET = new MitosisConfigLoader(Map.of("PW", "secret")::get).parse("""
            split: {old.shards: 2, new.shards: 4}
            schemas: [app]
            credentials: {user: mitosis, password.env: PW}
            kafka: {bootstrap.servers: '127.0.0.1:9092'}
            pairs:
              - pair: 0
                servers:
                  - {name: p0-a, host: 127.0.0.1, port: 3310}
                  - {name: p0-a0, host: 127.0.0.1, port: 3311}
              - pair: 1
                servers:
                  - {name: p1-a, host: 127.0.0.1, port: 3312}
                  - {name: p1-a0, host: 127.0.0.1, port: 3313}
            """, "test", Path.of("."));

    /** Evidence as the test sets it: nothing done until a step is marked. */
    private static final class Fake implements SplitEvidence {
        Verdict verdict = Verdict.UNKNOWN;
        int modulus;
        boolean routingUnreadable;
        final Set<Integer> cutPairs = new HashSet<>();
        final Set<Integer> repaired = new HashSet<>();
        final Map<Integer, Purge> purges = new HashMap<>();

        @Override
        public Optional<ShardMapVersion> shardMap() {
            if (routingUnreadable) {
                throw new IllegalStateException("broker down");
            }
            if (modulus == 0) {
                return Optional.empty();
            }
            List<ShardEndpoint> shards = new ArrayList<>();
            for (int s = 0; s < modulus; s++) {
                shards.add(new ShardEndpoint(s, "s" + s, "127.0.0.1", 3310 + s));
            }
            return Optional.of(new ShardMapVersion(modulus == 4 ? 2 : 1, modulus, shards, "2026-01-01T00:00:00Z",
                    "test", false, List.of()));
        }

        @Override
        public List<Gate.Decision> gates() {
            return List.of(gate(0), gate(1));
        }

        private Gate.Decision gate(int pair) {
            return new Gate.Decision(pair, verdict, verdict + " for the test", verdict, 1000, 600_000, null);
        }

        @Override
        public InterlockResult cut(Pair pair) {
            return cutPairs.contains(pair.number()) ? InterlockResult.holds("replication cut", "cut")
                    : InterlockResult.refused("replication cut", "the old pair still replicates");
        }

        @Override
        public List<String> newPartnerLinks(Server server, Server oldSibling) {
            int shard = FLEET.topology().shardMap().newShardOf(server.pair(), server.role());
            return repaired.contains(shard) ? List.of("127.0.0.1:4000") : List.of();
        }

        @Override
        public Purge purge(int shard) {
            return purges.getOrDefault(shard, new Purge(false, 0, 2500, 0, 1));
        }
    }

    private final Fake fleet = new Fake();

    private SplitStatus.Report read() {
        return new SplitStatus(FLEET, fleet, CONFIG).read();
    }

    @Test
    void eachStepsEvidenceMovesTheShardOnAndNamesTheNextCommand() {
        SplitStatus.OldShard zero = read().shards().get(0);
        assertThat(zero.stage()).isEqualTo("not started");
        assertThat(zero.next()).isEqualTo("mitosis verify --config fleet/mitosis.yaml --pair 0 --once");

        fleet.verdict = Verdict.PASS;
        assertThat(read().shards().get(0).next()).isEqualTo("mitosis flip --config fleet/mitosis.yaml --to 4");

        fleet.modulus = 4;
        zero = read().shards().get(0);
        assertThat(zero.stage()).isEqualTo("flipped");
        assertThat(zero.next()).isEqualTo("mitosis pair cut --config fleet/mitosis.yaml --pair 0");

        fleet.cutPairs.add(0);
        zero = read().shards().get(0);
        assertThat(zero.stage()).isEqualTo("cut");
        assertThat(zero.next()).startsWith("give new shard 0 (p0-a) a new HA partner");
        assertThat(read().shards().get(1).next()).isEqualTo("mitosis pair cut --config fleet/mitosis.yaml --pair 1");

        fleet.repaired.addAll(List.of(0, 2));
        zero = read().shards().get(0);
        assertThat(zero.stage()).isEqualTo("re-paired");
        assertThat(zero.next()).isEqualTo("mitosis purge --config fleet/mitosis.yaml --shard 0");

        fleet.purges.put(0, new SplitEvidence.Purge(true, 1000, 1500, 0, 1));
        zero = read().shards().get(0);
        assertThat(zero.stage()).isEqualTo("purging");
        assertThat(zero.newShards().get(0).purgePercent()).isEqualTo(40.0);
        assertThat(zero.next()).isEqualTo("mitosis purge --config fleet/mitosis.yaml --shard 0");

        fleet.purges.put(0, new SplitEvidence.Purge(true, 2500, 0, 1, 1));
        assertThat(read().shards().get(0).next()).isEqualTo("mitosis purge --config fleet/mitosis.yaml --shard 2");

        fleet.purges.put(2, new SplitEvidence.Purge(true, 2500, 0, 1, 1));
        zero = read().shards().get(0);
        assertThat(zero.stage()).isEqualTo("purged");
        // No proof result is stored: proven stays unknown and the proof is what to run.
        assertThat(zero.newShards()).allSatisfy(n -> assertThat(n.proven().state()).isEqualTo("unknown"));
        assertThat(zero.next()).isEqualTo("mitosis prove --config fleet/mitosis.yaml --shard 0");
        assertThat(read().complete()).isFalse();
    }

    @Test
    void aPassStaleAfterTheFlipStillCountsButAFailDoesNot() {
        fleet.modulus = 4;
        fleet.verdict = Verdict.FAIL;
        assertThat(read().shards().get(0).verified().done()).isFalse();
        assertThat(read().shards().get(0).next()).contains("mitosis verify");
    }

    @Test
    void evidenceThatCannotBeReadIsUnknownNeverDone() {
        fleet.routingUnreadable = true;
        fleet.verdict = Verdict.PASS;
        SplitStatus.OldShard zero = read().shards().get(0);
        assertThat(zero.flipped().state()).isEqualTo("unknown");
        assertThat(zero.flipped().evidence()).contains("broker down");
        assertThat(zero.stage()).isEqualTo("verified");
        assertThat(zero.next()).isEqualTo("find out why this cannot be read: the routing topic cannot be read: broker down");
        assertThat(read().epoch()).isNull();
    }
}
