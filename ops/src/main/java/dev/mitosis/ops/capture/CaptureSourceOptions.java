package dev.mitosis.ops.capture;

import dev.mitosis.capture.CaptureSettings;
import dev.mitosis.capture.SnapshotMode;
import dev.mitosis.ops.cli.OperatorException;
import picocli.CommandLine.Option;

/**
 * The options that shape how a Debezium engine reads a server, shared by {@code capture} (engines in this process)
 * and {@code connect-config} (connectors on a Connect cluster), so both read the servers the same way.
 */
public final class CaptureSourceOptions {

    @Option(names = "--snapshot", defaultValue = "none", paramLabel = "MODE",
            description = "what a first start reads: none (default: the stream starts at the current GTID) or initial"
                    + " (every existing row, then the stream)")
    String snapshot;

    @Option(names = "--replica-server-id-base", defaultValue = "" + CaptureSettings.DEFAULT_REPLICA_SERVER_ID_BASE,
            paramLabel = "ID", description = "server_id of the first server's binlog client; the i-th server of the"
                    + " topology uses ID + i (default: ${DEFAULT-VALUE}). Not the id of any MariaDB server, nor of a"
                    + " capture or connector already running")
    int replicaServerIdBase;

    /** The snapshot mode, or a usage error naming the bad value. */
    public SnapshotMode snapshotMode() {
        try {
            return SnapshotMode.parse(snapshot);
        } catch (IllegalArgumentException e) {
            throw OperatorException.usage("--snapshot " + snapshot + ": expected none or initial");
        }
    }

    /** The first binlog client's server_id, or a usage error. */
    public int replicaServerIdBase() {
        if (replicaServerIdBase < 1) {
            throw OperatorException.usage("--replica-server-id-base " + replicaServerIdBase + ": expected >= 1");
        }
        return replicaServerIdBase;
    }
}
