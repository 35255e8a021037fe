package dev.mitosis.connectors.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mitosis.testkit.ItEnvironment;
import dev.mitosis.testkit.MariaDbServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ShardDataSourcesIT {

    private static MariaDbServer first;
    private static MariaDbServer second;

    @BeforeAll
    static void start() {
        Path dir = ItEnvironment.dirFor(ShardDataSourcesIT.class);
        first = MariaDbServer.builder("s0").baseDir(dir).port(ItEnvironment.port(0)).serverId(1).gtidDomainId(1)
                .adminPassword("ds-it-secret").build().start();
        second = MariaDbServer.builder("s1").baseDir(dir).port(ItEnvironment.port(1)).serverId(2).gtidDomainId(2)
                .adminPassword("ds-it-secret").build().start();
    }

    @AfterAll
    static void stop() {
        if (first != null) {
            first.stop();
        }
        if (second != null) {
            second.stop();
        }
    }

    @Test
    void eachRouteGetsThePoolOfItsShardsServer() throws Exception {
        ShardMapVersion map = new ShardMapVersion(1, 2, List.of(
                new ShardEndpoint(0, "s0", "127.0.0.1", first.port()),
                new ShardEndpoint(1, "s1", "127.0.0.1", second.port())), "2026-11-23T00:00:00Z", "it", false, List.of());

        try (ShardDataSources pools = new ShardDataSources(MariaDbServer.ADMIN_USER, "ds-it-secret", "", 2)) {
            assertThat(portOf(pools, map.route(4))).isEqualTo(first.port());
            assertThat(portOf(pools, map.route(-3))).isEqualTo(second.port());
            assertThat(pools.of(map.route(2))).isSameAs(pools.of(map.route(6)));
        }
    }

    private static int portOf(ShardDataSources pools, Route route) throws Exception {
        try (Connection c = pools.of(route).getConnection(); ResultSet rs = c.createStatement().executeQuery("SELECT @@port")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
