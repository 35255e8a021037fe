package dev.mitosis.ops.daemon;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.mitosis.connectors.config.ConfigProblems;
import dev.mitosis.connectors.config.ConfigValues;
import dev.mitosis.connectors.topology.DaemonKeys;
import dev.mitosis.connectors.topology.MitosisConfig;
import dev.mitosis.connectors.topology.Pair;
import dev.mitosis.connectors.topology.PurgeKeys;
import dev.mitosis.connectors.topology.Server;
import dev.mitosis.ops.http.HttpSettings;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * What one daemon process runs, from the {@code daemon} and {@code http} sections of mitosis.yaml, checked against
 * the topology: a server, pair or shard the fleet does not have is a config problem naming its key.
 *
 * @param captureServers     the servers this process captures
 * @param replicaServerIdBase the capture engines' first binlog client id
 * @param verifyPairs        the pairs verified continuously
 * @param verifyInterval     from the start of one full pass of a pair to the start of the next
 * @param verifyRefreshInterval between two refreshes of a PASS from the change stream
 * @param purgeShards        the new shards purged from the start
 * @param purgeRetryInterval how often a purge refused by an interlock checks them again
 * @param stopTimeout        the whole shutdown's budget
 * @param stateDir           checkpoints, reports, control files
 * @param workGroup          the consumer group dividing purge work, if any
 * @param workPartitions     partitions of the work topic
 * @param rangesPerTable     key ranges each table of a divided purge or verification is cut into
 * @param http               the status server
 */
public record DaemonSettings(List<Server> captureServers, int replicaServerIdBase, List<Integer> verifyPairs,
                             Duration verifyInterval, Duration verifyRefreshInterval, List<Integer> purgeShards,
                             Duration purgeRetryInterval, Duration stopTimeout, Path stateDir,
                             Optional<String> workGroup, int workPartitions, int rangesPerTable,
                             HttpSettings http) {

    /** Copies the lists. */
    public DaemonSettings {
        captureServers = List.copyOf(captureServers);
        verifyPairs = List.copyOf(verifyPairs);
        purgeShards = List.copyOf(purgeShards);
    }

    /**
     * The daemon's settings of a loaded config.
     *
     * @param configDir relative paths ({@code daemon.state.dir}, {@code http.token.file}) are relative to it
     * @throws dev.mitosis.connectors.config.ConfigException naming every key at fault
     */
    public static DaemonSettings from(MitosisConfig config, String source, Path configDir) {
        ConfigValues daemon = section(config, DaemonKeys.DAEMON);
        ConfigValues http = section(config, DaemonKeys.HTTP);
        ConfigProblems problems = new ConfigProblems();
        List<Server> servers = captureServers(config, daemon.getList(DaemonKeys.CAPTURE_SERVERS), problems);
        List<Integer> pairs = verifyPairs(config, daemon.getList(DaemonKeys.VERIFY_PAIRS), problems);
        List<Integer> shards = new ArrayList<>();
        for (String shard : daemon.getList(DaemonKeys.PURGE_SHARDS)) {
            int number = Integer.parseInt(shard);
            if (number >= config.topology().newShards()) {
                problems.invalid(key(DaemonKeys.DAEMON, DaemonKeys.PURGE_SHARDS), shard, "is not a new shard",
                        "a number in [0, " + (config.topology().newShards() - 1) + "]");
            } else if (!shards.contains(number)) {
                shards.add(number);
            }
        }
        problems.throwIfAny(source);
        Path stateDir = resolve(configDir, daemon.getString(DaemonKeys.STATE_DIR));
        Optional<Path> token = http.findString(DaemonKeys.TOKEN_FILE).map(p -> resolve(configDir, p));
        return new DaemonSettings(servers, daemon.getInt(DaemonKeys.CAPTURE_REPLICA_SERVER_ID_BASE), pairs,
                Duration.ofMillis(daemon.getLong(DaemonKeys.VERIFY_INTERVAL_MS)),
                Duration.ofMillis(daemon.getLong(DaemonKeys.VERIFY_REFRESH_INTERVAL_MS)), shards,
                Duration.ofMillis(config.values().findSection(PurgeKeys.PURGE)
                        .orElseGet(() -> PurgeKeys.definition().parse(JsonNodeFactory.instance.objectNode(),
                                "defaults of " + PurgeKeys.PURGE))
                        .getLong(PurgeKeys.RETRY_INTERVAL_MS)),
                Duration.ofMillis(daemon.getLong(DaemonKeys.STOP_TIMEOUT_MS)), stateDir,
                daemon.findString(DaemonKeys.WORK_GROUP), daemon.getInt(DaemonKeys.WORK_PARTITIONS),
                daemon.getInt(DaemonKeys.WORK_RANGES_PER_TABLE),
                new HttpSettings(http.getString(DaemonKeys.BIND_ADDRESS), http.getInt(DaemonKeys.PORT), token));
    }

    private static List<Server> captureServers(MitosisConfig config, List<String> names, ConfigProblems problems) {
        if (names.contains(DaemonKeys.ALL)) {
            if (names.size() > 1) {
                problems.invalid(key(DaemonKeys.DAEMON, DaemonKeys.CAPTURE_SERVERS), names.toString(),
                        "mixes all with names", "[all], [] or a list of server names");
            }
            return config.topology().servers();
        }
        List<Server> servers = new ArrayList<>();
        for (String name : names) {
            Optional<Server> server = config.topology().server(name);
            if (server.isEmpty()) {
                problems.invalid(key(DaemonKeys.DAEMON, DaemonKeys.CAPTURE_SERVERS), name, "is not a server of the"
                        + " topology", "one of " + config.topology().servers().stream().map(Server::name).toList());
            } else if (!servers.contains(server.get())) {
                servers.add(server.get());
            }
        }
        return servers;
    }

    private static List<Integer> verifyPairs(MitosisConfig config, List<String> values, ConfigProblems problems) {
        if (values.contains(DaemonKeys.ALL)) {
            if (values.size() > 1) {
                problems.invalid(key(DaemonKeys.DAEMON, DaemonKeys.VERIFY_PAIRS), values.toString(),
                        "mixes all with numbers", "[all], [] or a list of pair numbers");
            }
            return config.topology().pairs().stream().map(Pair::number).toList();
        }
        TreeSet<Integer> pairs = new TreeSet<>();
        for (String value : values) {
            int number = Integer.parseInt(value);
            if (number >= config.topology().oldShards()) {
                problems.invalid(key(DaemonKeys.DAEMON, DaemonKeys.VERIFY_PAIRS), value, "is not a pair",
                        "a number in [0, " + (config.topology().oldShards() - 1) + "]");
            } else {
                pairs.add(number);
            }
        }
        return List.copyOf(pairs);
    }

    private static ConfigValues section(MitosisConfig config, String name) {
        return config.values().findSection(name).orElseGet(() -> (name.equals(DaemonKeys.DAEMON)
                ? DaemonKeys.daemon() : DaemonKeys.http())
                .parse(JsonNodeFactory.instance.objectNode(), "defaults of " + name));
    }

    private static String key(String section, String key) {
        return section + "." + key;
    }

    private static Path resolve(Path configDir, String path) {
        Path p = Path.of(path);
        return p.isAbsolute() || configDir == null ? p : configDir.resolve(p);
    }
}
