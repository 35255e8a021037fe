package dev.mitosis.purger;

import dev.mitosis.testkit.MariaDbServer;

import java.sql.DriverManager;
import java.util.List;

/**
 * A purge in a JVM of its own, for {@link PurgeKillIT} to kill -9: purges new shard 0 (A of pair 0, split 2 → 4)
 * of {@code app.accounts} and prints one line per committed chunk on stdout.
 *
 * <p>Arguments: A's port, A's admin password, A0's port, A0's admin password, the rows/s cap.
 */
public final class PurgeChild {

    private PurgeChild() {
    }

    public static void main(String[] args) {
        int aPort = Integer.parseInt(args[0]);
        int a0Port = Integer.parseInt(args[2]);
        ServerSessions a = () -> DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + aPort + "/",
                MariaDbServer.ADMIN_USER, args[1]);
        ServerSessions a0 = () -> DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + a0Port + "/",
                MariaDbServer.ADMIN_USER, args[3]);
        PurgeReport report = Purger.builder(new PurgeTarget(PurgeFixture.SPLIT, 0, "p0-a", a))
                .tables(List.of("app"), PurgeFixture.RULES)
                .only(List.of("app.accounts"))
                .settings(PurgeSettings.defaults().withChunks(20, 15, 40).withMaxRowsPerSecond(Long.parseLong(args[4])))
                .interlocks(List.of(new ReplicationCutInterlock(
                        new ReplicationCutInterlock.Endpoint("p0-a", "127.0.0.1", aPort, a),
                        new ReplicationCutInterlock.Endpoint("p0-a0", "127.0.0.1", a0Port, a0))))
                .listener(new PurgeListener() {
                    @Override
                    public void chunk(PurgeProgress progress) {
                        System.out.println("chunk " + progress.tableRowsDeleted());
                        System.out.flush();
                    }
                })
                .build()
                .run();
        System.out.println("end " + report.outcome());
        System.out.flush();
    }
}
