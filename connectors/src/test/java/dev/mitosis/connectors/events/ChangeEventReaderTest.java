package dev.mitosis.connectors.events;

import dev.mitosis.connectors.events.ChangeEventReader.MalformedEventException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Reads real records captured from MariaDB 11.4 by Debezium 3.5 (see resources/events/README.md). */
class ChangeEventReaderTest {

    private final ChangeEventReader reader = new ChangeEventReader((schema, table) ->
            schema.equals("app") && table.equals("users") ? Optional.of("uid") : Optional.empty());

    /** A sample as the consumer sees it: headers, key and value from the file. */
    static ConsumerRecord<byte[], byte[]> sample(String name) {
        try (InputStream in = ChangeEventReaderTest.class.getResourceAsStream("/events/" + name + ".txt")) {
            String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n");
            RecordHeaders headers = new RecordHeaders();
            for (String header : lines[0].split(" ")) {
                String[] kv = header.split("=", 2);
                headers.add("mitosis." + kv[0], kv[1].getBytes(StandardCharsets.UTF_8));
            }
            return new ConsumerRecord<>("it.cdc.p0-a.app.users", 0, 7, 0L, TimestampType.CREATE_TIME, 0, 0,
                    lines[1].getBytes(StandardCharsets.UTF_8), lines[2].getBytes(StandardCharsets.UTF_8), headers,
                    Optional.empty());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void localInsert() {
        ChangeEvent event = reader.read(sample("insert"));
        assertThat(event.op()).isEqualTo(Op.CREATE);
        assertThat(event.server()).isEqualTo("p0-a");
        assertThat(event.serverId()).isEqualTo(101);
        assertThat(event.originServerId()).isEqualTo(101);
        assertThat(event.replicated()).isFalse();
        assertThat(event.gtid()).isEqualTo("101-101-3");
        assertThat(event.qualifiedTable()).isEqualTo("app.users");
        assertThat(event.primaryKey().get("id").asLong()).isEqualTo(1);
        assertThat(event.shardKeyValue()).hasValueSatisfying(v -> assertThat(v.asLong()).isEqualTo(10));
        assertThat(event.before()).isEmpty();
        assertThat(event.after().orElseThrow().get("name").asText()).isEqualTo("ann");
        assertThat(event.after().orElseThrow().get("balance").asText()).isEqualTo("1.50");
        assertThat(event.sourceTime()).isEqualTo(Instant.ofEpochMilli(1795427641000L));
        assertThat(event.statement()).hasValue("INSERT INTO app.users VALUES (1, 10, 'ann', 1.50)");
        assertThat(event.id()).isEqualTo(new EventId("p0-a", "101-101-3", "mariadb-bin.000001", 690, 3, 1));
    }

    @Test
    void updateHasBothImages() {
        ChangeEvent event = reader.read(sample("update"));
        assertThat(event.op()).isEqualTo(Op.UPDATE);
        assertThat(event.before().orElseThrow().get("name").asText()).isEqualTo("ann");
        assertThat(event.after().orElseThrow().get("name").asText()).isEqualTo("anne");
        assertThat(event.row()).isEqualTo(event.after().orElseThrow());
    }

    @Test
    void rowsOfOneStatementShareTheGtidButNotTheIdentity() {
        ChangeEvent first = reader.read(sample("multirow-first"));
        ChangeEvent second = reader.read(sample("multirow-second"));
        assertThat(first.gtid()).isEqualTo(second.gtid());
        assertThat(first.id().binlogPosition()).isEqualTo(second.id().binlogPosition());
        assertThat(first.id()).isNotEqualTo(second.id());
        assertThat(EventId.BINLOG_ORDER.compare(first.id(), second.id())).isNegative();
    }

    @Test
    void replicatedWritesAreMarked() {
        ChangeEvent insert = reader.read(sample("replicated-insert"));
        assertThat(insert.serverId()).isEqualTo(101);
        assertThat(insert.originServerId()).isEqualTo(102);
        assertThat(insert.replicated()).isTrue();
        assertThat(insert.gtid()).isEqualTo("102-102-1");
    }

    @Test
    void deleteCarriesTheBeforeImageAndItsShardKey() {
        ChangeEvent delete = reader.read(sample("replicated-delete"));
        assertThat(delete.op()).isEqualTo(Op.DELETE);
        assertThat(delete.after()).isEmpty();
        assertThat(delete.before().orElseThrow().get("name").asText()).isEqualTo("bob");
        assertThat(delete.shardKeyValue()).hasValueSatisfying(v -> assertThat(v.asLong()).isEqualTo(11));
        assertThat(delete.row()).isEqualTo(delete.before().orElseThrow());
    }

    @Test
    void broadcastTableHasNoShardKeyValue() {
        ChangeEventReader broadcast = new ChangeEventReader((schema, table) -> Optional.empty());
        assertThat(broadcast.read(sample("insert")).shardKeyValue()).isEmpty();
    }

    @Test
    void snapshotRowHasNoBinlogPlace() {
        String value = "{\"before\":null,\"after\":{\"id\":9,\"uid\":3},\"source\":{\"db\":\"app\",\"table\":\"users\","
                + "\"server_id\":0,\"gtid\":null,\"file\":\"mariadb-bin.000001\",\"pos\":690,\"row\":0,"
                + "\"ts_ms\":1,\"snapshot\":\"true\"},\"op\":\"r\"}";
        ChangeEvent event = reader.read("p0-a", 101, "0:0", "{\"id\":9}".getBytes(StandardCharsets.UTF_8),
                value.getBytes(StandardCharsets.UTF_8));
        assertThat(event.op()).isEqualTo(Op.READ);
        assertThat(event.id().fromBinlog()).isFalse();
        assertThat(event.statement()).isEmpty();
    }

    @Test
    void recordWithoutCaptureHeadersIsRefusedNamingWhere() {
        ConsumerRecord<byte[], byte[]> bare = new ConsumerRecord<>("t", 2, 5, new byte[0], new byte[0]);
        assertThatThrownBy(() -> reader.read(bare)).isInstanceOf(MalformedEventException.class)
                .hasMessageContaining("mitosis.server").hasMessageContaining("t-2@5");
    }

    @Test
    void malformedValuesAreRefused() {
        assertThatThrownBy(() -> reader.read("s", 1, "0:0", null, "not json".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(MalformedEventException.class).hasMessageContaining("not JSON");
        assertThatThrownBy(() -> reader.read("s", 1, "0:0", null, null))
                .isInstanceOf(MalformedEventException.class).hasMessageContaining("tombstone");
        assertThatThrownBy(() -> reader.read("s", 1, "0:0", null, "{\"op\":\"c\"}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(MalformedEventException.class).hasMessageContaining("source");
        assertThatThrownBy(() -> reader.read("s", 1, "0:0", null,
                "{\"op\":\"x\",\"source\":{\"db\":\"a\",\"table\":\"b\"}}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'x'");
    }
}
