package dev.mitosis.testkit;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The command lines that initialize and start a server: small buffers, row binlog, GTID, no TLS. */
final class MariaDbOptions {

    /** Small enough for a dozen servers on a 2-core, 24 GiB machine; enough for a 1M-row benchmark table. */
    static final List<String> SMALL_FOOTPRINT = List.of(
            "--innodb-buffer-pool-size=64M",
            "--innodb-log-file-size=8M",
            "--innodb-log-buffer-size=4M",
            "--key-buffer-size=1M",
            "--aria-pagecache-buffer-size=8M",
            "--performance-schema=OFF",
            "--max-connections=200",
            "--table-open-cache=400",
            // Survives a kill -9 of mariadbd (only an OS crash loses the last second), and keeps tests quick.
            "--innodb-flush-log-at-trx-commit=2",
            "--innodb-doublewrite=0");

    private MariaDbOptions() {
    }

    static List<String> installCommand(MariaDbServer server, MariaDbBinaries binaries) {
        List<String> command = new ArrayList<>(List.of(
                binaries.installDb().toString(),
                "--no-defaults",
                "--basedir=" + binaries.baseDir(),
                "--datadir=" + server.dataDir(),
                "--tmpdir=" + server.tmpDir(),
                "--skip-test-db",
                "--auth-root-authentication-method=socket"));
        runAsRoot(command);
        command.addAll(SMALL_FOOTPRINT);
        return command;
    }

    static List<String> serverCommand(MariaDbServer server, MariaDbBinaries binaries, Optional<Path> initFile) {
        List<String> command = new ArrayList<>(List.of(
                binaries.mariadbd().toString(),
                "--no-defaults",
                "--basedir=" + binaries.baseDir(),
                "--datadir=" + server.dataDir(),
                // Its own: parallel bootstraps sharing /tmp collide on temporary table names.
                "--tmpdir=" + server.tmpDir(),
                "--port=" + server.port(),
                "--bind-address=127.0.0.1",
                "--socket=" + server.socket(),
                "--log-error=" + server.log(),
                "--server-id=" + server.serverId(),
                "--gtid-domain-id=" + server.gtidDomainId(),
                "--log-bin=mariadb-bin",
                "--relay-log=relay-bin",
                "--binlog-format=ROW",
                "--binlog-row-image=FULL",
                "--binlog-annotate-row-events=ON",
                "--log-slave-updates=ON",
                // 11.4 otherwise generates a TLS certificate at every start (seconds of CPU); all traffic is loopback.
                "--skip-ssl",
                "--skip-name-resolve",
                "--character-set-server=utf8mb4",
                "--collation-server=utf8mb4_general_ci"));
        runAsRoot(command);
        command.addAll(SMALL_FOOTPRINT);
        initFile.ifPresent(f -> command.add("--init-file=" + f));
        command.addAll(server.extraOptions());
        return command;
    }

    /** mariadbd refuses to run as root unless told to. */
    private static void runAsRoot(List<String> command) {
        if ("root".equals(System.getProperty("user.name"))) {
            command.add("--user=root");
        }
    }
}
