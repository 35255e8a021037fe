package dev.mitosis.testkit;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Two servers replicating both ways with GTID ({@code MASTER_USE_GTID=slave_pos}), as every shard of the fleet
 * runs: A (first; keeps residue i after the split) and A0 (second; keeps i + n), with
 * {@code auto_increment_increment=2} and offsets 1 and 2 so both can insert without colliding.
 *
 * <p>Also the steps that follow a split: {@link #cut()} makes the two independent, and {@link #repartner} gives one
 * of them a new HA partner from a consistent dump.
 */
public final class DualMasterPair implements AutoCloseable {

    private final MariaDbServer a;
    private final MariaDbServer a0;
    private final String replicationPassword;

    private DualMasterPair(MariaDbServer a, MariaDbServer a0, String replicationPassword) {
        this.a = a;
        this.a0 = a0;
        this.replicationPassword = replicationPassword;
    }

    /**
     * Builders for A and A0 of pair {@code pair}, with server ids {@code 100*(pair+1)+1/+2}, a GTID domain each and
     * the dual-master auto-increment settings; the caller may add options before starting them.
     */
    public static MariaDbServer.Builder[] builders(Path baseDir, String namePrefix, int pair) {
        int base = 100 * (pair + 1);
        return new MariaDbServer.Builder[] {
            MariaDbServer.builder(namePrefix + "-a").baseDir(baseDir).serverId(base + 1).gtidDomainId(base + 1)
                    .option("--auto-increment-increment=2").option("--auto-increment-offset=1"),
            MariaDbServer.builder(namePrefix + "-a0").baseDir(baseDir).serverId(base + 2).gtidDomainId(base + 2)
                    .option("--auto-increment-increment=2").option("--auto-increment-offset=2"),
        };
    }

    /** Starts both servers of {@code builders(...)} and links them. */
    public static DualMasterPair start(MariaDbServer.Builder aBuilder, MariaDbServer.Builder a0Builder) {
        MariaDbServer a = aBuilder.build().start();
        MariaDbServer a0;
        try {
            a0 = a0Builder.build().start();
        } catch (RuntimeException e) {
            a.stop();
            throw e;
        }
        return link(a, a0);
    }

    /**
     * Links two running servers both ways, each starting at the other's current binlog position: what either
     * wrote before the link stays local to it. Setup statements replicate once linked, so write shared data after.
     */
    public static DualMasterPair link(MariaDbServer a, MariaDbServer a0) {
        String password = a.adminPassword() + "-repl";
        Replication.createUser(a, password);
        Replication.createUser(a0, password);
        String aPosition = a.gtidBinlogPos();
        String a0Position = a0.gtidBinlogPos();
        Replication.start(a0, a, password, aPosition);
        Replication.start(a, a0, password, a0Position);
        return new DualMasterPair(a, a0, password);
    }

    /** A pair object for two servers that already replicate both ways (e.g. started by an earlier process). */
    public static DualMasterPair attach(MariaDbServer a, MariaDbServer a0) {
        return new DualMasterPair(a, a0, a.adminPassword() + "-repl");
    }

    public MariaDbServer a() {
        return a;
    }

    public MariaDbServer a0() {
        return a0;
    }

    public List<MariaDbServer> servers() {
        return List.of(a, a0);
    }

    /** Replication into A (from A0) and into A0 (from A). */
    public List<ReplicationStatus> statusOf(MariaDbServer server) {
        return Replication.status(server);
    }

    /** Whether both directions run without error. */
    public boolean healthy() {
        return servers().stream().allMatch(s -> {
            List<ReplicationStatus> status = Replication.status(s);
            return status.size() == 1 && status.get(0).healthy();
        });
    }

    /**
     * Waits until each server has applied every transaction written on the other so far. Returns false if that
     * did not happen within {@code timeout} (each direction gets the whole timeout).
     */
    public boolean awaitInSync(Duration timeout) {
        return Replication.awaitApplied(a0, a, timeout) && Replication.awaitApplied(a, a0, timeout);
    }

    /** Stops and resets replication both ways: after the flip each server is its own new shard. */
    public void cut() {
        Replication.stopAndReset(a);
        Replication.stopAndReset(a0);
    }

    /**
     * Gives {@code keep} (one of this pair's servers, after {@link #cut()}) a new HA partner: {@code partner} is
     * started fresh, loaded from a consistent dump of {@code keep} (restored with {@code sql_log_bin=0}), replicates
     * from {@code keep} from the dump's GTID position, and then {@code keep} replicates from it too.
     */
    public static DualMasterPair repartner(MariaDbServer keep, MariaDbServer.Builder partnerBuilder) {
        MariaDbServer partner = partnerBuilder.build().start();
        try {
            String password = keep.adminPassword() + "-repl";
            Replication.createUser(keep, password);
            Replication.createUser(partner, password);
            String dumpPosition = ConsistentDump.copy(keep, partner);
            Replication.start(partner, keep, password, dumpPosition);
            // keep needs only what the partner writes from now on; the rest of the partner's binlog is keep's own.
            Replication.start(keep, partner, password, partner.gtidBinlogPos());
            return new DualMasterPair(keep, partner, password);
        } catch (RuntimeException e) {
            partner.stop();
            throw e;
        }
    }

    /** Stops both servers (orderly). */
    @Override
    public void close() {
        RuntimeException first = null;
        for (MariaDbServer server : servers()) {
            try {
                server.stop();
            } catch (RuntimeException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }

    String replicationPassword() {
        return replicationPassword;
    }

    @Override
    public String toString() {
        return "pair(" + a + ", " + a0 + ")";
    }
}
