package dev.mitosis.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** One real pair, run through the life a shard has in a split: replicate both ways, cut, re-pair. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DualMasterPairIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static Path dir;
    private static DualMasterPair pair;
    private static DualMasterPair newPair;
    private static DualMasterPair otherNewPair;

    @BeforeAll
    static void startPair() {
        dir = ItEnvironment.dirFor(DualMasterPairIT.class);
        MariaDbServer.Builder[] b = DualMasterPair.builders(dir, "p0", 0);
        pair = DualMasterPair.start(b[0].port(ItEnvironment.port(0)), b[1].port(ItEnvironment.port(1)));
        pair.a().execute("CREATE DATABASE app",
                "CREATE TABLE app.t (id BIGINT AUTO_INCREMENT PRIMARY KEY, uid BIGINT, note VARCHAR(40))");
    }

    @AfterAll
    static void stopAll() {
        if (newPair != null) {
            newPair.a0().stop();
        }
        if (otherNewPair != null) {
            otherNewPair.a0().stop();
        }
        if (pair != null) {
            pair.close();
        }
    }

    @Test
    @Order(1)
    void rowWrittenOnEitherSideAppearsOnTheOther() {
        pair.a().execute("INSERT INTO app.t (uid, note) VALUES (1, 'from a')");
        pair.a0().execute("INSERT INTO app.t (uid, note) VALUES (2, 'from a0')");

        await().atMost(WAIT).until(() -> rows(pair.a0()).contains("1:from a") && rows(pair.a()).contains("2:from a0"));
        assertThat(rows(pair.a())).isEqualTo(rows(pair.a0()));
        assertThat(pair.healthy()).isTrue();
        assertThat(pair.awaitInSync(WAIT)).isTrue();
    }

    @Test
    @Order(2)
    void autoIncrementOffsetsKeepBothSidesFromColliding() {
        pair.a().execute("INSERT INTO app.t (uid, note) VALUES (3, 'odd')");
        pair.a0().execute("INSERT INTO app.t (uid, note) VALUES (4, 'even')");
        assertThat(pair.awaitInSync(WAIT)).isTrue();

        assertThat(pair.a().queryString("SELECT GROUP_CONCAT(id % 2 ORDER BY id) FROM app.t WHERE uid IN (1, 3)")).isEqualTo("1,1");
        assertThat(pair.a().queryString("SELECT GROUP_CONCAT(id % 2 ORDER BY id) FROM app.t WHERE uid IN (2, 4)")).isEqualTo("0,0");
    }

    @Test
    @Order(3)
    void cutMakesTheServersIndependent() {
        pair.cut();

        assertThat(Replication.status(pair.a())).isEmpty();
        assertThat(Replication.status(pair.a0())).isEmpty();
        pair.a().execute("INSERT INTO app.t (uid, note) VALUES (10, 'a only')");
        pair.a0().execute("INSERT INTO app.t (uid, note) VALUES (11, 'a0 only')");
        // The other side must not receive it; a bounded look is the only way to see an absence.
        String peerGtid = pair.a().gtidBinlogPos();
        assertThat(pair.a0().queryString("SELECT MASTER_GTID_WAIT('" + Replication.ownDomainPosition(pair.a()) + "', 1)"))
                .as("a0 must not apply a's writes after the cut (a at %s)", peerGtid).isEqualTo("-1");
        assertThat(rows(pair.a0())).doesNotContain("10:a only");
        assertThat(rows(pair.a())).doesNotContain("11:a0 only");
    }

    @Test
    @Order(4)
    void repartnerBringsANewServerInSyncThenReplicatesBothWays() {
        MariaDbServer.Builder partner = MariaDbServer.builder("p0-a-partner").baseDir(dir).port(ItEnvironment.port(2))
                .serverId(901).gtidDomainId(901)
                .option("--auto-increment-increment=2").option("--auto-increment-offset=2");
        // Enough rows that the dump is long: the GTID position may stand after the data.
        pair.a().execute("INSERT INTO app.t (uid, note) SELECT 1000 + seq, CONCAT('bulk ', seq) FROM mysql.seq_1_to_2000");

        newPair = DualMasterPair.repartner(pair.a(), partner);

        assertThat(rows(newPair.a0())).isEqualTo(rows(pair.a()));
        assertThat(rows(newPair.a0())).doesNotContain("11:a0 only");
        newPair.a().execute("INSERT INTO app.t (uid, note) VALUES (20, 'a after repartner')");
        newPair.a0().execute("INSERT INTO app.t (uid, note) VALUES (21, 'partner')");
        assertThat(newPair.awaitInSync(WAIT)).isTrue();
        assertThat(rows(newPair.a())).contains("20:a after repartner", "21:partner");
        assertThat(rows(newPair.a0())).isEqualTo(rows(newPair.a()));
        assertThat(newPair.healthy()).isTrue();
        // The old partner stays out of it.
        assertThat(rows(pair.a0())).doesNotContain("20:a after repartner");
    }

    @Test
    @Order(5)
    void theOtherSideGetsItsOwnNewPartnerToo() {
        MariaDbServer.Builder partner = MariaDbServer.builder("p0-a0-partner").baseDir(dir).port(ItEnvironment.port(3))
                .serverId(902).gtidDomainId(902)
                .option("--auto-increment-increment=2").option("--auto-increment-offset=1");

        otherNewPair = DualMasterPair.repartner(pair.a0(), partner);

        assertThat(rows(otherNewPair.a0())).isEqualTo(rows(pair.a0())).contains("11:a0 only").doesNotContain("20:a after repartner");
        otherNewPair.a0().execute("INSERT INTO app.t (uid, note) VALUES (30, 'second partner')");
        assertThat(otherNewPair.awaitInSync(WAIT)).isTrue();
        assertThat(rows(pair.a0())).contains("30:second partner");
        assertThat(otherNewPair.healthy()).isTrue();
    }

    private static List<String> rows(MariaDbServer server) {
        return server.queryColumn("SELECT CONCAT(uid, ':', note) FROM app.t ORDER BY uid");
    }
}
