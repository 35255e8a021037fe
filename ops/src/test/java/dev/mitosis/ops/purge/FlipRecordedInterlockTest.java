package dev.mitosis.ops.purge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mitosis.connectors.routing.RoutingAck;
import dev.mitosis.connectors.routing.ShardEndpoint;
import dev.mitosis.connectors.routing.ShardMapVersion;
import dev.mitosis.purger.InterlockResult;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class FlipRecordedInterlockTest {

    private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    @Test
    void holdsWhenEveryLiveClientAppliedTheSplitEpoch() {
        InterlockResult result = check(map(2, 4), List.of(ack("svc-a", 2, 5), ack("svc-b", 2, 30)));
        assertThat(result.holds()).as(result.reason()).isTrue();
        assertThat(result.reason()).contains("epoch 2", "uid % 4", "all 2 live router client(s)");
    }

    @Test
    void aLiveClientStillOnTheOldEpochRefusesNamingIt() {
        InterlockResult result = check(map(2, 4), List.of(ack("svc-a", 2, 5), ack("svc-b", 1, 10)));
        assertThat(result.holds()).isFalse();
        assertThat(result.reason()).contains("svc-b (epoch 1", "mitosis flip status").doesNotContain("svc-a");
    }

    @Test
    void aClientGoneLongerThanTheWindowDoesNotBlock() {
        long gone = FlipRecordedInterlock.LIVE_CLIENT_WINDOW.toSeconds() + 1;
        InterlockResult result = check(map(2, 4), List.of(ack("svc-a", 2, 5), ack("old-batch-job", 1, gone)));
        assertThat(result.holds()).as(result.reason()).isTrue();
        assertThat(result.reason()).contains("all 1 live");
    }

    @Test
    void noMapOrTheOldModulusRefuses() {
        assertThat(check(null, List.of()).reason()).contains("no shard map is published", "--to 4");
        InterlockResult old = check(map(1, 2), List.of());
        assertThat(old.holds()).isFalse();
        assertThat(old.reason()).contains("uid % 2", "mitosis flip --to 4");
    }

    private static InterlockResult check(ShardMapVersion map, List<RoutingAck> acks) {
        return FlipRecordedInterlock.flipRecorded(() -> Optional.ofNullable(map), () -> acks, CLOCK, 4).check();
    }

    private static ShardMapVersion map(long epoch, int modulus) {
        List<ShardEndpoint> shards = IntStream.range(0, modulus)
                .mapToObj(i -> new ShardEndpoint(i, "s" + i, "127.0.0.1", 3306 + i)).toList();
        return new ShardMapVersion(epoch, modulus, shards, NOW.minusSeconds(120).toString(), "test", false, List.of());
    }

    private static RoutingAck ack(String client, long epoch, long secondsAgo) {
        return new RoutingAck(client, epoch, NOW.minusSeconds(100).toString(), "host-" + client,
                NOW.minusSeconds(secondsAgo).toString());
    }
}
