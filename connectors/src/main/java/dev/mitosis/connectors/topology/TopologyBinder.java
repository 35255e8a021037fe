package dev.mitosis.connectors.topology;

import dev.mitosis.connectors.config.ConfigProblems;
import dev.mitosis.connectors.config.ConfigValueText;
import dev.mitosis.connectors.config.ConfigValues;
import dev.mitosis.connectors.shard.ServerRole;
import dev.mitosis.connectors.shard.ShardMap;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.mitosis.connectors.topology.MitosisConfigDef.CREDENTIALS;
import static dev.mitosis.connectors.topology.MitosisConfigDef.HOST;
import static dev.mitosis.connectors.topology.MitosisConfigDef.NAME;
import static dev.mitosis.connectors.topology.MitosisConfigDef.NEW_SHARDS;
import static dev.mitosis.connectors.topology.MitosisConfigDef.OLD_SHARDS;
import static dev.mitosis.connectors.topology.MitosisConfigDef.PAIR;
import static dev.mitosis.connectors.topology.MitosisConfigDef.PAIRS;
import static dev.mitosis.connectors.topology.MitosisConfigDef.PORT;
import static dev.mitosis.connectors.topology.MitosisConfigDef.SERVERS;
import static dev.mitosis.connectors.topology.MitosisConfigDef.SPLIT;

/**
 * Checks the split and the pairs against each other and builds the {@link Topology}: new shards are twice the
 * old, one pair per old shard numbered 0..n-1 each once, two servers per pair, server names and addresses
 * unique. Works on partly bad values (keys with bad values are unset) so that every problem is found in one run.
 */
final class TopologyBinder {

    private final ConfigProblems problems;
    private final CredentialsResolver credentialsResolver;

    TopologyBinder(ConfigProblems problems, CredentialsResolver credentialsResolver) {
        this.problems = problems;
        this.credentialsResolver = credentialsResolver;
    }

    /** The topology, or empty when anything in the config (here or elsewhere) has a problem. */
    Optional<Topology> bind(ConfigValues root) {
        Optional<Integer> oldShards = checkSplit(root);
        Optional<Credentials> defaults = root.findSection(CREDENTIALS).flatMap(credentialsResolver::resolveDefaults);
        if (!root.isSet(PAIRS)) {
            return Optional.empty();
        }
        List<ConfigValues> pairs = root.getListOf(PAIRS);
        oldShards.ifPresent(n -> checkPairNumbers(root, pairs, n));
        Map<ConfigValues, Credentials> credentials = checkServers(pairs, defaults);
        if (!problems.isEmpty() || oldShards.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(build(new ShardMap(oldShards.get()), pairs, credentials));
    }

    /** @return {@code n} when it is set, whether or not the new shard count agrees */
    private Optional<Integer> checkSplit(ConfigValues root) {
        Optional<ConfigValues> split = root.findSection(SPLIT);
        Optional<Integer> oldShards = split.filter(s -> s.isSet(OLD_SHARDS)).map(s -> s.getInt(OLD_SHARDS));
        Optional<Integer> newShards = split.filter(s -> s.isSet(NEW_SHARDS)).map(s -> s.getInt(NEW_SHARDS));
        if (oldShards.isPresent() && newShards.isPresent() && newShards.get() != 2L * oldShards.get()) {
            problems.invalid(split.get().pathOf(NEW_SHARDS), String.valueOf(newShards.get()),
                    "is not 2 * split.old.shards (" + oldShards.get() + ")", "exactly " + 2L * oldShards.get());
        }
        return oldShards;
    }

    private void checkPairNumbers(ConfigValues root, List<ConfigValues> pairs, int oldShards) {
        String numbers = "each pair number in [0, " + (oldShards - 1) + "] exactly once";
        if (pairs.size() != oldShards) {
            problems.invalid(root.pathOf(PAIRS), ConfigValueText.render(pairs),
                    "does not match split.old.shards (" + oldShards + ")",
                    "exactly " + oldShards + " pairs, one per old shard");
        }
        Map<Integer, String> seen = new HashMap<>();
        for (ConfigValues pair : pairs) {
            if (!pair.isSet(PAIR)) {
                continue;
            }
            int number = pair.getInt(PAIR);
            String path = pair.pathOf(PAIR);
            if (number >= oldShards) {
                problems.invalid(path, String.valueOf(number), "is out of range",
                        "an integer in [0, " + (oldShards - 1) + "] (split.old.shards is " + oldShards + ")");
            } else if (seen.containsKey(number)) {
                problems.invalid(path, String.valueOf(number), "is also the number of " + seen.get(number), numbers);
            } else {
                seen.put(number, pair.path());
            }
        }
        for (int number = 0; number < oldShards; number++) {
            if (!seen.containsKey(number)) {
                problems.add(root.pathOf(PAIRS), "pair " + number + " is missing, expected " + numbers);
            }
        }
    }

    private Map<ConfigValues, Credentials> checkServers(List<ConfigValues> pairs, Optional<Credentials> defaults) {
        Map<String, String> names = new HashMap<>();
        List<Map.Entry<HostPort, String>> addresses = new ArrayList<>();
        Map<ConfigValues, Credentials> credentials = new LinkedHashMap<>();
        for (ConfigValues pair : pairs) {
            if (!pair.isSet(SERVERS)) {
                continue;
            }
            List<ConfigValues> servers = pair.getListOf(SERVERS);
            if (servers.size() != 2) {
                problems.invalid(pair.pathOf(SERVERS), ConfigValueText.render(servers), "is not a pair",
                        "exactly 2 servers: A first, then A0");
            }
            for (ConfigValues server : servers) {
                checkUniqueName(server, names);
                checkUniqueAddress(server, addresses);
                credentialsResolver.resolveServer(server, defaults).ifPresent(c -> credentials.put(server, c));
            }
        }
        return credentials;
    }

    private void checkUniqueName(ConfigValues server, Map<String, String> names) {
        if (!server.isSet(NAME)) {
            return;
        }
        String name = server.getString(NAME);
        String first = names.putIfAbsent(name, server.path());
        if (first != null) {
            problems.invalid(server.pathOf(NAME), ConfigValueText.render(name), "is also the name of " + first,
                    "a server name unique in the topology");
        }
    }

    private void checkUniqueAddress(ConfigValues server, List<Map.Entry<HostPort, String>> addresses) {
        if (!server.isSet(HOST) || !server.isSet(PORT)) {
            return;
        }
        HostPort address = new HostPort(server.getString(HOST), server.getInt(PORT));
        Optional<String> first = addresses.stream()
                .filter(seen -> seen.getKey().sameAs(address))
                .map(Map.Entry::getValue)
                .findFirst();
        if (first.isPresent()) {
            problems.invalid(server.path(), ConfigValueText.render(address.toString()),
                    "(host:port) is also the address of " + first.get(), "a host:port unique in the topology");
        } else {
            addresses.add(Map.entry(address, server.path()));
        }
    }

    /** Called only when every check passed, so every key is set and every pair complete. */
    private static Topology build(ShardMap shardMap, List<ConfigValues> pairValues,
                                  Map<ConfigValues, Credentials> credentials) {
        Pair[] pairs = new Pair[pairValues.size()];
        for (ConfigValues pairValue : pairValues) {
            int number = pairValue.getInt(PAIR);
            List<ConfigValues> servers = pairValue.getListOf(SERVERS);
            pairs[number] = new Pair(number,
                    server(servers.get(0), number, ServerRole.A, credentials),
                    server(servers.get(1), number, ServerRole.A0, credentials));
        }
        return new Topology(shardMap, List.of(pairs));
    }

    private static Server server(ConfigValues values, int pair, ServerRole role,
                                 Map<ConfigValues, Credentials> credentials) {
        return new Server(values.getString(NAME), new HostPort(values.getString(HOST), values.getInt(PORT)),
                pair, role, credentials.get(values));
    }
}
