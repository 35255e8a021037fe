package dev.mitosis.ops.connect;

import dev.mitosis.capture.ConnectorProperties;
import dev.mitosis.capture.SnapshotMode;
import dev.mitosis.connectors.kafka.KafkaClients;
import dev.mitosis.connectors.topology.MitosisConfig;
import dev.mitosis.connectors.topology.Server;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Kafka Connect (distributed mode) connector configs for every server of a fleet, built from the same properties
 * as capture's embedded engines ({@link ConnectorProperties}). The password never appears: it is a reference
 * {@code ${file:<secrets file>:<server name>}} that the worker's {@code FileConfigProvider} resolves.
 */
final class ConnectorConfigs {

    /** One connector: its name and config, as {@code POST /connectors} takes it. */
    record Connector(String name, Map<String, String> config) {
    }

    private ConnectorConfigs() {
    }

    static List<Connector> of(MitosisConfig fleet, Path secretsFile, SnapshotMode snapshot, int replicaServerIdBase) {
        List<Connector> connectors = new ArrayList<>();
        List<Server> servers = fleet.topology().servers();
        for (int i = 0; i < servers.size(); i++) {
            Server server = servers.get(i);
            Properties engine = ConnectorProperties.of(server, fleet.schemas(), new KafkaClients(fleet.kafka()),
                    snapshot, replicaServerIdBase + i);
            Properties connector = ConnectorProperties.connectorOnly(engine);
            Map<String, String> config = new TreeMap<>();
            connector.stringPropertyNames().forEach(k -> config.put(k, connector.getProperty(k)));
            config.remove("name");
            config.put("database.password", "${file:" + secretsFile + ":" + server.name() + "}");
            // Records as the embedded engine writes them: JSON without schemas, so consumers read one format.
            config.put("key.converter", "org.apache.kafka.connect.json.JsonConverter");
            config.put("key.converter.schemas.enable", "false");
            config.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
            config.put("value.converter.schemas.enable", "false");
            config.put("tasks.max", "1");
            connectors.add(new Connector(ConnectorProperties.name(server), config));
        }
        return connectors;
    }
}
