package dev.mitosis.capture;

import com.codahale.metrics.MetricRegistry;
import dev.mitosis.connectors.capture.CaptureState;
import dev.mitosis.connectors.events.ChangeEvent;
import dev.mitosis.connectors.events.Op;
import dev.mitosis.connectors.kafka.TopicNames;
import dev.mitosis.testkit.MariaDbServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Writes on both servers of a pair land in Kafka from both binlogs, with GTID, origin server_id, op, images and the
 * statement; a write replicated from the peer is marked replicated, a local one is not.
 */
class CaptureIT {

    private static CaptureFixture fixture;
    private static CaptureWorker worker;

    @BeforeAll
    static void start() {
        fixture = CaptureFixture.start(CaptureIT.class);
        worker = CaptureWorker.forAllServers(fixture.config, CaptureSettings.defaults(), "rebaseline {server}",
                new MetricRegistry(), Clock.systemUTC()).start();
        await().atMost(Duration.ofSeconds(90)).until(() -> worker.health().stream()
                .allMatch(h -> h.state() == CaptureState.RUNNING));
    }

    @AfterAll
    static void stop() {
        try {
            if (worker != null) {
                worker.close();
            }
        } finally {
            if (fixture != null) {
                fixture.close();
            }
        }
    }

    @Test
    void everyChangeFromBothBinlogsWithItsOriginAndImages() throws IOException {
        MariaDbServer a = fixture.pair.a();
        MariaDbServer a0 = fixture.pair.a0();
        a.execute("INSERT INTO app.users VALUES (1, 10, 'ann', 1.50)");
        String insertGtid = a.gtidBinlogPos();
        a.execute("UPDATE app.users SET name = 'anne' WHERE id = 1");
        a.execute("START TRANSACTION", "INSERT INTO app.users VALUES (2, 11, 'bob', 0.00)",
                "INSERT INTO app.users VALUES (3, 12, 'cy', 2.25), (4, 13, 'di', 3.00)", "COMMIT");
        // In sync first, so both binlogs hold the transactions in the same order.
        assertThat(fixture.pair.awaitInSync(Duration.ofSeconds(30))).isTrue();
        a0.execute("INSERT INTO app.users VALUES (5, 14, 'eve', 9.99)");
        a0.execute("DELETE FROM app.users WHERE id = 2");
        assertThat(fixture.pair.awaitInSync(Duration.ofSeconds(30))).isTrue();

        TopicNames topics = fixture.kafka().topics();
        List<CaptureFixture.Record> fromA = fixture.readAll(Pattern.compile(Pattern.quote(
                topics.changes("p0-a", "app", "users"))), 7, Duration.ofSeconds(60));
        List<CaptureFixture.Record> fromA0 = fixture.readAll(Pattern.compile(Pattern.quote(
                topics.changes("p0-a0", "app", "users"))), 7, Duration.ofSeconds(60));
        saveSamples(fromA);

        assertThat(fromA).hasSize(7);
        assertThat(fromA0).hasSize(7);
        List<ChangeEvent> eventsA = fromA.stream().map(CaptureFixture.Record::event).toList();
        List<ChangeEvent> eventsA0 = fromA0.stream().map(CaptureFixture.Record::event).toList();
        assertThat(eventsA).extracting(ChangeEvent::op).containsExactly(Op.CREATE, Op.UPDATE, Op.CREATE, Op.CREATE,
                Op.CREATE, Op.CREATE, Op.DELETE);
        // Both binlogs hold the same transactions under the same GTIDs.
        assertThat(eventsA).extracting(ChangeEvent::gtid).containsExactlyElementsOf(
                eventsA0.stream().map(ChangeEvent::gtid).toList());

        ChangeEvent insert = eventsA.get(0);
        assertThat(insert.gtid()).isEqualTo(insertGtid);
        assertThat(insert.server()).isEqualTo("p0-a");
        assertThat(insert.serverId()).isEqualTo(a.serverId());
        assertThat(insert.originServerId()).isEqualTo(a.serverId());
        assertThat(insert.replicated()).isFalse();
        assertThat(insert.schema()).isEqualTo("app");
        assertThat(insert.table()).isEqualTo("users");
        assertThat(insert.primaryKey().get("id").asLong()).isEqualTo(1);
        assertThat(insert.shardKeyValue()).hasValueSatisfying(v -> assertThat(v.asLong()).isEqualTo(10));
        assertThat(insert.before()).isEmpty();
        assertThat(insert.after().orElseThrow().get("balance").asText()).isEqualTo("1.50");
        assertThat(insert.statement()).hasValue("INSERT INTO app.users VALUES (1, 10, 'ann', 1.50)");

        ChangeEvent update = eventsA.get(1);
        assertThat(update.before().orElseThrow().get("name").asText()).isEqualTo("ann");
        assertThat(update.after().orElseThrow().get("name").asText()).isEqualTo("anne");

        // Rows 3 and 4 come from one statement: one rows event, two rows, one GTID with rows 2 and 3.
        assertThat(eventsA.get(2).gtid()).isEqualTo(eventsA.get(3).gtid()).isEqualTo(eventsA.get(4).gtid());
        assertThat(eventsA.subList(2, 5)).extracting(ChangeEvent::id).doesNotHaveDuplicates();
        assertThat(eventsA.get(4).statement()).hasValue(
                "INSERT INTO app.users VALUES (3, 12, 'cy', 2.25), (4, 13, 'di', 3.00)");

        // The write made on A0 is replicated in A's binlog, local in A0's; A's own writes the other way round.
        ChangeEvent eveOnA = eventsA.get(5);
        ChangeEvent eveOnA0 = eventsA0.get(5);
        assertThat(eveOnA.replicated()).isTrue();
        assertThat(eveOnA.originServerId()).isEqualTo(a0.serverId());
        assertThat(eveOnA0.replicated()).isFalse();
        assertThat(eventsA0.get(0).replicated()).isTrue();

        ChangeEvent delete = eventsA.get(6);
        assertThat(delete.after()).isEmpty();
        assertThat(delete.before().orElseThrow().get("name").asText()).isEqualTo("bob");
        assertThat(delete.shardKeyValue()).hasValueSatisfying(v -> assertThat(v.asLong()).isEqualTo(11));

        assertThat(worker.health()).allSatisfy(h -> {
            assertThat(h.events()).isEqualTo(7);
            assertThat(h.lastGtid()).isPresent();
            assertThat(h.retries()).isZero();
        });
    }

    /** The raw records, for the reader's unit tests (copied into connectors' test resources). */
    private static void saveSamples(List<CaptureFixture.Record> records) throws IOException {
        Path dir = Path.of("target", "event-samples");
        Files.createDirectories(dir);
        for (int i = 0; i < records.size(); i++) {
            var raw = records.get(i).raw();
            String headers = "server=" + new String(raw.headers().lastHeader("mitosis.server").value(),
                    StandardCharsets.UTF_8) + " server.id=" + new String(raw.headers().lastHeader("mitosis.server.id")
                    .value(), StandardCharsets.UTF_8) + " transaction.position=" + new String(raw.headers()
                    .lastHeader("mitosis.transaction.position").value(), StandardCharsets.UTF_8);
            Files.writeString(dir.resolve(i + ".txt"), headers + "\n" + new String(raw.key(), StandardCharsets.UTF_8)
                    + "\n" + new String(raw.value(), StandardCharsets.UTF_8) + "\n");
        }
    }
}
