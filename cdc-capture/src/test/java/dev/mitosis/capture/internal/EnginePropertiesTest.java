package dev.mitosis.capture.internal;

import dev.mitosis.capture.SnapshotMode;
import dev.mitosis.connectors.config.Password;
import dev.mitosis.connectors.kafka.TopicNames;
import dev.mitosis.connectors.shard.ServerRole;
import dev.mitosis.connectors.topology.Credentials;
import dev.mitosis.connectors.topology.HostPort;
import dev.mitosis.connectors.topology.PasswordSource;
import dev.mitosis.connectors.topology.Server;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

class EnginePropertiesTest {

    @Test
    void offsetsAndHistoryInKafkaFlushedEveryBatch() {
        Server server = new Server("p0-a", new HostPort("127.0.0.1", 3306), 0, ServerRole.A,
                new Credentials("cdc", new Password("pw"), new PasswordSource.Env("PW")));
        Properties p = EngineProperties.of(server, List.of("app", "crm"), new TopicNames("m"), "127.0.0.1:9092",
                SnapshotMode.NONE, 5000);
        assertThat(p.getProperty("connector.class")).isEqualTo("io.debezium.connector.mariadb.MariaDbConnector");
        assertThat(p.getProperty("name")).isEqualTo("mitosis-capture-p0-a");
        assertThat(p.getProperty("topic.prefix")).isEqualTo("m.cdc.p0-a");
        assertThat(p.getProperty("database.server.id")).isEqualTo("5000");
        assertThat(p.getProperty("database.include.list")).isEqualTo("app,crm");
        assertThat(p.getProperty("snapshot.mode")).isEqualTo("no_data");
        assertThat(p.getProperty("offset.storage")).isEqualTo("org.apache.kafka.connect.storage.KafkaOffsetBackingStore");
        assertThat(p.getProperty("offset.storage.topic")).isEqualTo("m.capture.offsets");
        assertThat(p.getProperty("offset.flush.interval.ms")).isEqualTo("0");
        assertThat(p.getProperty("schema.history.internal"))
                .isEqualTo("io.debezium.storage.kafka.history.KafkaSchemaHistory");
        assertThat(p.getProperty("schema.history.internal.kafka.topic")).isEqualTo("m.capture.schema-history.p0-a");
        assertThat(p.getProperty("include.query")).isEqualTo("true");
        assertThat(p.getProperty("max.batch.size")).isEqualTo(Integer.toString(EngineProperties.MAX_BATCH_SIZE));
        assertThat(p.getProperty("poll.interval.ms")).isEqualTo("50");
        assertThat(SnapshotMode.parse("initial")).isEqualTo(SnapshotMode.INITIAL);
    }
}
