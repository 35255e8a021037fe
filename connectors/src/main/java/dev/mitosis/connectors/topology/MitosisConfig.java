package dev.mitosis.connectors.topology;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mitosis.connectors.config.ConfigDocs;
import dev.mitosis.connectors.config.ConfigValues;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * mitosis.yaml, checked and resolved: the fleet, the schemas in scope, Kafka, and the table rules. Immutable.
 * Load it with {@link MitosisConfigLoader}.
 *
 * @param topology the pairs, their servers with resolved credentials, and the shard map
 * @param schemas  the schemas in scope
 * @param kafka    where the change stream lives
 * @param tables   the tables with a rule of their own, by {@code schema.table}, in file order
 * @param values   the parsed keys, defaults filled in, for {@link #toMaskedYaml()}
 */
public record MitosisConfig(Topology topology, List<String> schemas, KafkaSettings kafka,
                            Map<String, TableRule> tables, ConfigValues values) {

    /** Copies the collections. */
    public MitosisConfig {
        Objects.requireNonNull(topology, "topology");
        Objects.requireNonNull(kafka, "kafka");
        Objects.requireNonNull(values, "values");
        schemas = List.copyOf(schemas);
        tables = Collections.unmodifiableMap(new LinkedHashMap<>(tables));
    }

    /** Whether {@code schema} is in scope. */
    public boolean inScope(String schema) {
        return schemas.contains(schema);
    }

    /** The rule for a table: its own if listed, else sharded by {@value TableRule#DEFAULT_SHARD_KEY}. */
    public TableRule tableRule(String schema, String table) {
        TableRule listed = tables.get(schema + "." + table);
        return listed != null ? listed : TableRule.sharded(schema, table, TableRule.DEFAULT_SHARD_KEY);
    }

    /**
     * The effective config as YAML, defaults filled in, for {@code mitosis config show}; it loads back to the
     * same config. Password sources (file paths, variable names) are shown; passwords never are.
     */
    public String toMaskedYaml() {
        ObjectNode tree = values.toMaskedTree();
        // A broadcast table takes no shard key; showing the default would make the output fail to load.
        tree.path(MitosisConfigDef.TABLES).forEach(table -> {
            if (table.path(MitosisConfigDef.BROADCAST).asBoolean()) {
                ((ObjectNode) table).remove(MitosisConfigDef.SHARD_KEY);
            }
        });
        return ConfigDocs.yaml(values.def(), tree);
    }

    @Override
    public String toString() {
        return "MitosisConfig" + values;
    }
}
