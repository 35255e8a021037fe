package dev.mitosis.ops.daemon;

import dev.mitosis.ops.http.StatusEndpoints.Answer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One {@code POST /control} request, checked and applied to the daemon's purges:
 * {@code action=purge&shard=S} starts a shard's purge (behind its interlocks), {@code action=pause|resume} and
 * {@code action=rate&rows.per.second=N} go to the shard's control file ({@code shard=S}, or every purge of this
 * daemon when left out). Each change is logged with its old and new value.
 */
final class PurgeControlRequest {

    private static final Logger LOG = LoggerFactory.getLogger(PurgeControlRequest.class);
    static final String USAGE = "action=purge&shard=S | action=pause[&shard=S] | action=resume[&shard=S]"
            + " | action=rate&rows.per.second=N[&shard=S]";

    private final PurgeWorkers purges;
    private final int newShards;

    PurgeControlRequest(PurgeWorkers purges, int newShards) {
        this.purges = purges;
        this.newShards = newShards;
    }

    Answer apply(Map<String, String> p) {
        String action = p.getOrDefault("action", "");
        String shardText = p.get("shard");
        Integer shard = null;
        if (shardText != null) {
            if (!shardText.matches("\\d{1,9}") || Integer.parseInt(shardText) >= newShards) {
                return bad("shard=" + shardText + " is not a new shard, expected a number in [0, " + (newShards - 1) + "]");
            }
            shard = Integer.parseInt(shardText);
        }
        List<Integer> targets = new ArrayList<>();
        if (shard != null) {
            targets.add(shard);
        } else {
            purges.all().forEach(s -> targets.add(s.shard()));
        }
        switch (action) {
            case "purge" -> {
                if (shard == null) {
                    return bad("action=purge needs shard=S: there is no purge of every shard");
                }
                boolean started = purges.start(shard).isPresent();
                LOG.info("event=control action=purge shard={} started={}", shard, started);
                // Only the units (tables) this daemon owns run here; the other daemons of the group are asked apart.
                return started ? new Answer(202, Map.of("action", "purge", "shard", shard, "started", true,
                        "workPartitionsOwned", purges.ownedPartitions(), "scope", "the tables of shard " + shard
                                + " whose work unit this daemon owns"))
                        : new Answer(409, Map.of("error", "the purge of shard " + shard + " already runs here"));
            }
            case "pause", "resume" -> {
                if (targets.isEmpty()) {
                    return new Answer(409, Map.of("error", "no purge runs in this daemon: name shard=S"));
                }
                boolean pause = action.equals("pause");
                List<Object> applied = new ArrayList<>();
                for (int s : targets) {
                    PurgeControl control = purges.controlOf(s);
                    boolean old = control.paused();
                    control.pause(pause);
                    LOG.info("event=control action={} shard={} paused_old={} paused_new={} file={}", action, s, old,
                            pause, control.file());
                    applied.add(Map.of("shard", s, "pausedOld", old, "pausedNew", pause));
                }
                return new Answer(200, Map.of("action", action, "applied", applied));
            }
            case "rate" -> {
                String rate = p.get("rows.per.second");
                if (rate == null || !rate.matches("\\d{1,12}")) {
                    return bad("rows.per.second=" + rate + " is not a rate, expected an integer >= 0 (0 = no cap)");
                }
                if (targets.isEmpty()) {
                    return new Answer(409, Map.of("error", "no purge runs in this daemon: name shard=S"));
                }
                long value = Long.parseLong(rate);
                List<Object> applied = new ArrayList<>();
                for (int s : targets) {
                    PurgeControl control = purges.controlOf(s);
                    String old = control.rate().isPresent() ? Long.toString(control.rate().getAsLong()) : "configured";
                    control.rate(value);
                    LOG.info("event=control action=rate shard={} old={} new={} file={}", s, old, value, control.file());
                    Map<String, Object> one = new LinkedHashMap<>();
                    one.put("shard", s);
                    one.put("rowsPerSecondOld", old);
                    one.put("rowsPerSecondNew", value);
                    applied.add(one);
                }
                return new Answer(200, Map.of("action", action, "applied", applied));
            }
            default -> {
                return bad("action=" + action + " is not understood");
            }
        }
    }

    private static Answer bad(String message) {
        return new Answer(400, Map.of("error", message, "usage", USAGE));
    }
}
