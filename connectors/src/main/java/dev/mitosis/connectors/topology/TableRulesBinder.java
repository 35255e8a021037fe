package dev.mitosis.connectors.topology;

import dev.mitosis.connectors.config.ConfigProblems;
import dev.mitosis.connectors.config.ConfigValueText;
import dev.mitosis.connectors.config.ConfigValues;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.mitosis.connectors.topology.MitosisConfigDef.BROADCAST;
import static dev.mitosis.connectors.topology.MitosisConfigDef.SCHEMAS;
import static dev.mitosis.connectors.topology.MitosisConfigDef.SHARD_KEY;
import static dev.mitosis.connectors.topology.MitosisConfigDef.TABLES;

/**
 * Checks the table rules against the schemas in scope and builds them: a listed table must be in a listed
 * schema, and a broadcast table has no shard key.
 */
final class TableRulesBinder {

    private final ConfigProblems problems;

    TableRulesBinder(ConfigProblems problems) {
        this.problems = problems;
    }

    /** The rules by {@code schema.table}, or empty when anything in the config has a problem. */
    Optional<Map<String, TableRule>> bind(ConfigValues root) {
        if (!root.isSet(TABLES)) {
            return Optional.empty();
        }
        Optional<List<String>> schemas = root.isSet(SCHEMAS) ? Optional.of(root.getList(SCHEMAS)) : Optional.empty();
        Map<String, TableRule> rules = new LinkedHashMap<>();
        root.getMapOf(TABLES).forEach((name, values) -> {
            // The entry-name validator has made sure of exactly one dot.
            String schema = name.substring(0, name.indexOf('.'));
            String table = name.substring(name.indexOf('.') + 1);
            if (schemas.isPresent() && !schemas.get().contains(schema)) {
                problems.invalid(values.path(), ConfigValueText.render(name),
                        "is in schema " + ConfigValueText.render(schema) + ", which is not in "
                                + SCHEMAS + " " + ConfigValueText.render(schemas.get()),
                        "a table of a schema listed in " + SCHEMAS);
            }
            boolean broadcast = values.isSet(BROADCAST) && values.getBoolean(BROADCAST);
            if (broadcast && values.isExplicit(SHARD_KEY)) {
                problems.invalid(values.pathOf(SHARD_KEY),
                        values.findString(SHARD_KEY).map(ConfigValueText::render).orElse("a shard.key"),
                        "is set on a table with broadcast: true",
                        "no shard.key on a broadcast table (it is never purged)");
            }
            if (values.isSet(SHARD_KEY) && values.isSet(BROADCAST)) {
                rules.put(name, broadcast
                        ? TableRule.broadcast(schema, table)
                        : TableRule.sharded(schema, table, values.getString(SHARD_KEY)));
            }
        });
        return problems.isEmpty() ? Optional.of(rules) : Optional.empty();
    }
}
