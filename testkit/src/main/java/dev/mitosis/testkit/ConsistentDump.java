package dev.mitosis.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Copies every user schema of one server to another with {@code mariadb-dump --single-transaction --gtid}, the
 * restore running with {@code sql_log_bin=0} so the copy never enters the target's binlog (it would otherwise
 * replicate back to the source once the two are linked).
 */
final class ConsistentDump {

    private static final Pattern GTID_POSITION = Pattern.compile("SET GLOBAL gtid_slave_pos='([^']*)'");
    private static final long TIMEOUT_MINUTES = 30;

    private ConsistentDump() {
    }

    /** Copies the schemas and returns the source's GTID position the copy is consistent with. */
    static String copy(MariaDbServer source, MariaDbServer target) {
        List<String> schemas = userSchemas(source);
        Path dumpFile = target.dir().resolve("repartner-dump.sql");
        List<String> dump = new ArrayList<>(List.of(
                source.binaries().dump().toString(),
                "--defaults-file=" + clientConfig(source),
                "--single-transaction", "--master-data=2", "--gtid",
                "--routines", "--events", "--triggers", "--hex-blob"));
        if (schemas.isEmpty()) {
            dump.add("--no-data");
            dump.add("--all-databases");
        } else {
            dump.add("--databases");
            dump.addAll(schemas);
        }
        run(dump, null, dumpFile, source.name() + ": mariadb-dump");
        String position = gtidPosition(dumpFile);
        if (!schemas.isEmpty()) {
            List<String> restore = List.of(
                    target.binaries().client().toString(),
                    "--defaults-file=" + clientConfig(target),
                    "--init-command=SET sql_log_bin=0");
            run(restore, dumpFile, target.dir().resolve("repartner-restore.log"), target.name() + ": restore");
        }
        return position;
    }

    private static List<String> userSchemas(MariaDbServer server) {
        try (Connection c = server.connect(""); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT schema_name FROM information_schema.schemata WHERE schema_name"
                     + " NOT IN ('mysql', 'information_schema', 'performance_schema', 'sys') ORDER BY 1")) {
            List<String> schemas = new ArrayList<>();
            while (rs.next()) {
                schemas.add(rs.getString(1));
            }
            return schemas;
        } catch (SQLException e) {
            throw new IllegalStateException(server.name() + ": cannot list schemas: " + e.getMessage(), e);
        }
    }

    /** Credentials go in a 0600 option file, never on a command line where ps would show them. */
    private static Path clientConfig(MariaDbServer server) {
        return MariaDbServer.writePrivate(server.dir().resolve("client.cnf"), String.join("\n",
                "[client]",
                "user=" + MariaDbServer.ADMIN_USER,
                "password=" + server.adminPassword(),
                "host=" + server.host(),
                "port=" + server.port(),
                "skip-ssl",
                ""));
    }

    private static String gtidPosition(Path dumpFile) {
        // 11.4 writes the position after the data, 10.11 before it: read the whole dump, once.
        try (var lines = Files.lines(dumpFile, StandardCharsets.UTF_8)) {
            return lines.filter(line -> line.startsWith("--") || line.startsWith("SET GLOBAL"))
                    .map(GTID_POSITION::matcher)
                    .filter(Matcher::find)
                    .map(m -> m.group(1))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("no GTID position in " + dumpFile
                            + " (mariadb-dump --gtid --master-data=2 writes one)"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void run(List<String> command, Path input, Path output, String what) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(output.toFile())
                    .redirectError(ProcessBuilder.Redirect.appendTo(output.resolveSibling(output.getFileName() + ".err").toFile()));
            if (input != null) {
                builder.redirectInput(input.toFile());
            }
            Process process = builder.start();
            if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException(what + " did not finish in " + TIMEOUT_MINUTES + " min");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(what + " exited " + process.exitValue() + ": "
                        + ProcessFiles.tail(output.resolveSibling(output.getFileName() + ".err"), 10));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(what + " could not run", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(what + " interrupted", e);
        }
    }
}
