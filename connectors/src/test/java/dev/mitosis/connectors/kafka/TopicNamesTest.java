package dev.mitosis.connectors.kafka;

import dev.mitosis.connectors.topology.HostPort;
import dev.mitosis.connectors.topology.KafkaSettings;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TopicNamesTest {

    private final TopicNames topics = new TopicNames("mitosis");

    @Test
    void changeTopicsArePerServerAndTable() {
        assertThat(topics.changes("p0-a", "app", "users")).isEqualTo("mitosis.cdc.p0-a.app.users");
        assertThat(topics.changePrefix("p0-a0")).isEqualTo("mitosis.cdc.p0-a0");
        assertThat(topics.changesOf("p0-a").matcher("mitosis.cdc.p0-a.app.users").matches()).isTrue();
        assertThat(topics.changesOf("p0-a").matcher("mitosis.cdc.p0-a0.app.users").matches()).isFalse();
        assertThat(topics.allChanges().matcher("mitosis.cdc.p1-a0.app.orders").matches()).isTrue();
        assertThat(topics.allChanges().matcher("mitosis.capture.offsets").matches()).isFalse();
    }

    @Test
    void captureTopics() {
        assertThat(topics.captureOffsets()).isEqualTo("mitosis.capture.offsets");
        assertThat(topics.schemaHistory("p0-a")).isEqualTo("mitosis.capture.schema-history.p0-a");
        assertThat(topics.captureHealth()).isEqualTo("mitosis.capture.health");
    }

    @Test
    void producersAreIdempotentWithAcksAll() {
        KafkaClients clients = new KafkaClients(new KafkaSettings(List.of(new HostPort("127.0.0.1", 9092)), "m"));
        var producer = clients.producerProperties("c");
        assertThat(producer.getProperty(ProducerConfig.ACKS_CONFIG)).isEqualTo("all");
        assertThat(producer.getProperty(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG)).isEqualTo("true");
        assertThat(producer.getProperty(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG)).isEqualTo("127.0.0.1:9092");
        var consumer = clients.consumerProperties("g", "c");
        assertThat(consumer.getProperty(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG)).isEqualTo("false");
        assertThat(clients.topics().captureOffsets()).isEqualTo("m.capture.offsets");
    }
}
