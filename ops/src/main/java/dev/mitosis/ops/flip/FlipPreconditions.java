package dev.mitosis.ops.flip;

import dev.mitosis.connectors.routing.GateRecord;
import dev.mitosis.connectors.topology.MitosisConfig;
import java.util.List;

/**
 * What the flip asks of the rest of mitosis before it publishes: each returns the problems it found, one line each
 * naming the pair or shard; an empty list means it holds. A precondition that cannot be checked reports that as a
 * problem: the flip fails closed.
 */
public interface FlipPreconditions {

    /** Splitting (to 2n) needs every pair's gate to be a fresh PASS: the gate of each pair, recorded with the flip. */
    List<GateRecord> gates(MitosisConfig config);

    /** Rolling back (to n): no purge has started on any server. */
    List<String> purgesStarted(MitosisConfig config);
}
