package dev.mitosis.capture.internal;

import dev.mitosis.connectors.kafka.KafkaClients;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Creates capture's own topics before anything reads them: the offsets topic must be compacted (Kafka Connect
 * refuses one that is not), and a topic auto-created by a reader's metadata request would not be.
 */
final class CaptureTopics {

    private CaptureTopics() {
    }

    /** Creates the offsets topic (1 partition, compacted, broker's default replication) unless it exists. */
    static void ensure(KafkaClients kafka) throws ExecutionException, InterruptedException, TimeoutException {
        NewTopic offsets = new NewTopic(kafka.topics().captureOffsets(), Optional.of(1), Optional.empty())
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
        try (Admin admin = kafka.newAdmin("mitosis-capture-topics")) {
            admin.createTopics(List.of(offsets)).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
    }
}
