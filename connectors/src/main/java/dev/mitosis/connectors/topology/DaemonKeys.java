package dev.mitosis.connectors.topology;

import dev.mitosis.connectors.config.ConfigDef;
import dev.mitosis.connectors.config.ConfigDef.Importance;
import dev.mitosis.connectors.config.ConfigDef.Type;
import dev.mitosis.connectors.config.Matches;
import dev.mitosis.connectors.config.NonEmpty;
import dev.mitosis.connectors.config.Range;

import java.util.List;

/**
 * The keys of the {@code daemon} and {@code http} sections of mitosis.yaml: what one {@code mitosis daemon}
 * process runs, and where its HTTP status server listens. Declared once here; {@link MitosisConfigDef#definition()}
 * mounts them, so their full names read {@code daemon.capture.servers}, {@code http.port} and so on.
 */
public final class DaemonKeys {

    public static final String DAEMON = "daemon";
    public static final String DAEMON_DOC = "What this `mitosis daemon` process runs: the servers it captures, the"
            + " pairs it verifies continuously, the new shards it purges. Left out, it captures and verifies"
            + " everything and purges nothing until asked.";
    public static final String CAPTURE_SERVERS = "capture.servers";
    public static final String CAPTURE_REPLICA_SERVER_ID_BASE = "capture.replica.server.id.base";
    public static final String VERIFY_PAIRS = "verify.pairs";
    public static final String VERIFY_INTERVAL_MS = "verify.interval.ms";
    public static final String VERIFY_REFRESH_INTERVAL_MS = "verify.refresh.interval.ms";
    public static final String PURGE_SHARDS = "purge.shards";
    public static final String STOP_TIMEOUT_MS = "stop.timeout.ms";
    public static final String STATE_DIR = "state.dir";
    public static final String WORK_GROUP = "work.group";
    public static final String WORK_PARTITIONS = "work.partitions";
    public static final String WORK_RANGES_PER_TABLE = "work.ranges.per.table";

    public static final String HTTP = "http";
    public static final String HTTP_DOC = "The daemon's HTTP status server: /health, /ready, /status, /gate?pair=P,"
            + " /metrics and the token-guarded POST /control.";
    public static final String BIND_ADDRESS = "bind.address";
    public static final String PORT = "port";
    public static final String TOKEN_FILE = "token.file";

    /** The word for every server or pair in {@code capture.servers} and {@code verify.pairs}. */
    public static final String ALL = "all";

    private DaemonKeys() {
    }

    /** The keys of the {@code daemon} section. */
    public static ConfigDef daemon() {
        return new ConfigDef()
                .define(CAPTURE_SERVERS, Type.LIST, List.of(ALL),
                        Matches.pattern(MitosisConfigDef.SERVER_NAME_PATTERN, "server names, or all"),
                        Importance.HIGH, "The servers whose binlog this process captures: names from"
                                + " pairs[].servers, [all], or [] for none. Two processes must not capture the same"
                                + " server.")
                .define(CAPTURE_REPLICA_SERVER_ID_BASE, Type.INT, 5000, Range.between(1, Integer.MAX_VALUE - 100_000),
                        Importance.LOW, "server_id of the first capture engine's binlog client; the i-th server of"
                                + " the topology uses this + i. Must not be any MariaDB server's id.")
                .define(VERIFY_PAIRS, Type.LIST, List.of(ALL), Matches.pattern("all|\\d{1,9}", "pair numbers, or all"),
                        Importance.HIGH, "The pairs this process verifies continuously, storing each verdict for"
                                + " the gate: pair numbers as strings (e.g. [\"0\", \"1\"]), [all], or [] for none.")
                .define(VERIFY_INTERVAL_MS, Type.LONG, 30_000L, Range.between(0, 86_400_000), Importance.MEDIUM,
                        "Time from the start of one full verification pass of a pair to the start of the next (a"
                                + " full pass is what finds a difference no binlog shows, e.g. a write made with"
                                + " sql_log_bin=0).")
                .define(VERIFY_REFRESH_INTERVAL_MS, Type.LONG, 200L, Range.between(10, 3_600_000),
                        Importance.LOW, "Between full passes, while capture runs: the pause between two refreshes of"
                                + " a PASS from the change stream. Each re-reads only the rows changed since the"
                                + " positions the PASS holds for, so the stored verdict stays seconds old; a"
                                + " difference among them turns it FAIL at once.")
                .define(PURGE_SHARDS, Type.LIST, List.of(), Matches.pattern("\\d{1,9}", "new shard numbers"),
                        Importance.HIGH, "The new shards whose purge starts with the daemon, as strings (e.g."
                                + " [\"2\"]), behind the same interlocks as `mitosis purge`. There is no 'all': other shards are purged only"
                                + " when asked through POST /control action=purge&shard=S.")
                .define(STOP_TIMEOUT_MS, Type.LONG, 20_000L, Range.between(1_000, 600_000), Importance.MEDIUM,
                        "How long SIGTERM may take: stop control, purges after their chunk, verification, drain"
                                + " capture, stop HTTP, within this.")
                .define(STATE_DIR, Type.STRING, "mitosis-daemon", NonEmpty.described("a directory path"),
                        Importance.MEDIUM, "Where the daemon keeps verification checkpoints and reports and the"
                                + " purge control files. A relative path is relative to the config file's directory.")
                .define(WORK_GROUP, Type.STRING, null, Matches.pattern("[A-Za-z0-9._-]{1,100}",
                                "a consumer group name of letters, digits, '.', '_' or '-'"),
                        Importance.MEDIUM, "When set, the purge work (a unit is one key range of one table of a new"
                                + " shard, see work.ranges.per.table) is"
                                + " divided among every daemon with the same work.group through a Kafka consumer"
                                + " group on <kafka.topic.prefix>.work; a unit moves with its partition and resumes"
                                + " from its checkpoint. The tables (key ranges) of each pair are divided likewise"
                                + " among the daemons of the group that verify it (consumer group"
                                + " <work.group>.verify.pair-<n>),"
                                + " their verdicts stored per range in <kafka.topic.prefix>.verdicts.tables and merged"
                                + " into tables and the pair's verdict by one of them. Unset, this process does all"
                                + " of it.")
                .define(WORK_PARTITIONS, Type.INT, 12, Range.between(1, 10_000), Importance.LOW,
                        "Partitions of the work topic when the daemon creates it: the most daemons that share work.")
                .define(WORK_RANGES_PER_TABLE, Type.INT, 4, Range.between(1, 1_000), Importance.LOW,
                        "With work.group set: each table of a purge or of a pair's verification is cut into this many"
                                + " primary-key ranges, each a unit of work of its own, so daemons share one big table"
                                + " too. The cut is made once, by the owner of a table's first range, and stored on"
                                + " <kafka.topic.prefix>.work.splits; rows written later anywhere in the key space"
                                + " still fall in exactly one range. 1 keeps each table one unit.");
    }

    /** The keys of the {@code http} section. */
    public static ConfigDef http() {
        return new ConfigDef()
                .define(BIND_ADDRESS, Type.STRING, "127.0.0.1", Matches.pattern("[A-Za-z0-9._:%-]+",
                                "a host name or IP address"),
                        Importance.HIGH, "The address the status server listens on; open it up only on purpose.")
                .define(PORT, Type.INT, 9464, Range.between(0, 65535), Importance.HIGH,
                        "The status server's port; 0 picks a free one (logged at start).")
                .define(TOKEN_FILE, Type.STRING, null, NonEmpty.described("a path to a readable file"),
                        Importance.HIGH, "A file holding the bearer token (16 characters or more) that POST /control"
                                + " needs. Without it /control is refused. A relative path is relative to the config"
                                + " file's directory.");
    }
}
