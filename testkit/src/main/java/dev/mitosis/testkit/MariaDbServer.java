package dev.mitosis.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One real {@code mariadbd} on 127.0.0.1, with its own data dir, socket, {@code server_id} and
 * {@code gtid_domain_id}, row-based binlog with full images and {@code log_slave_updates}: what a shard server of a
 * dual-master pair runs. Started with real grant tables; the admin account it creates
 * ({@code 'mitosis'@'127.0.0.1'}, all privileges) is made with {@code sql_log_bin=0}, so it never replicates.
 *
 * <p>Everything lives under {@code baseDir/name}: {@code data/}, {@code mariadbd.log}, {@code mariadbd.pid} (written
 * by the launcher at once, so a killed JVM leaves its servers reapable) and {@code admin.password}.
 */
public final class MariaDbServer implements AutoCloseable {

    public static final String ADMIN_USER = "mitosis";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

    private final String name;
    private final Path dir;
    private final int port;
    private final int serverId;
    private final int gtidDomainId;
    private final List<String> extraOptions;
    private final boolean detached;
    private final MariaDbBinaries binaries;
    private final String adminPassword;

    private MariaDbServer(Builder b) {
        this.name = b.name;
        this.dir = b.baseDir.resolve(b.name).toAbsolutePath().normalize();
        this.port = b.port == 0 ? Ports.free() : b.port;
        this.serverId = b.serverId;
        this.gtidDomainId = b.gtidDomainId;
        this.extraOptions = List.copyOf(b.extraOptions);
        this.detached = b.detached;
        this.binaries = b.binaries != null ? b.binaries : MariaDbBinaries.locate();
        this.adminPassword = loadOrCreatePassword(dir.resolve("admin.password"), b.adminPassword);
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    /**
     * Initializes the data dir on first use, starts the server and waits (bounded) until it accepts connections.
     * Throws with the tail of the server's log if it exits or does not answer in time.
     */
    public MariaDbServer start() {
        if (isRunning()) {
            throw new IllegalStateException(this + " is already running (pid file " + pidFile() + ")");
        }
        boolean fresh = !Files.isDirectory(dataDir().resolve("mysql"));
        try {
            Files.createDirectories(tmpDir());
        } catch (IOException e) {
            throw new UncheckedIOException(name + ": cannot create " + tmpDir(), e);
        }
        if (fresh) {
            initializeDataDir();
        }
        List<String> command = MariaDbOptions.serverCommand(this, binaries, fresh ? Optional.of(writeInitFile()) : Optional.empty());
        OwnedProcess process = OwnedProcess.spawn(command, log(), pidFile(), identity(), Map.of(), detached);
        process.awaitReady(name + ": mariadbd on port " + port, START_TIMEOUT, Duration.ofMillis(50), () -> {
            DriverManager.getConnection(jdbcUrl("") + "&connectTimeout=1000", ADMIN_USER, adminPassword).close();
        }, log());
        if (fresh) {
            deleteQuietly(dir.resolve("init.sql"));
        }
        return this;
    }

    /** Orderly stop: {@code SHUTDOWN}, then waits for the PID; SIGKILL if it lingers past the timeout. */
    public void stop() {
        Optional<OwnedProcess> process = process();
        if (process.isEmpty()) {
            return;
        }
        try (Connection c = connect(""); Statement s = c.createStatement()) {
            s.execute("SHUTDOWN");
        } catch (SQLException e) {
            process.get().terminate(STOP_TIMEOUT);
        }
        if (!process.get().awaitExit(STOP_TIMEOUT)) {
            process.get().kill();
        }
    }

    /** SIGKILL, as a crash: the server gets no chance to flush. */
    public void kill() {
        process().ifPresent(OwnedProcess::kill);
    }

    public MariaDbServer restart() {
        stop();
        return start();
    }

    @Override
    public void close() {
        stop();
    }

    /** Whether the server this object describes is running (by its pid file and command line). */
    public boolean isRunning() {
        return process().isPresent();
    }

    public Optional<OwnedProcess> process() {
        return OwnedProcess.fromPidFile(pidFile());
    }

    /** A new connection as the admin user; {@code database} may be empty. The caller closes it. */
    public Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database), ADMIN_USER, adminPassword);
    }

    public String jdbcUrl(String database) {
        return "jdbc:mariadb://" + host() + ":" + port + "/" + database + "?connectTimeout=5000&socketTimeout=120000";
    }

    /** Runs statements in one session, in order; for setup. */
    public void execute(String... sql) {
        try (Connection c = connect(""); Statement s = c.createStatement()) {
            for (String statement : sql) {
                s.execute(statement);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(name + ": " + e.getMessage(), e);
        }
    }

    /** The first column of the first row, or null. */
    public String queryString(String sql) {
        List<String> column = queryColumn(sql);
        return column.isEmpty() ? null : column.get(0);
    }

    /** The first column of every row, as strings. */
    public List<String> queryColumn(String sql) {
        return queryColumnAt(sql, null);
    }

    /** The column {@code label} (the first if null) of every row, as strings. */
    public List<String> queryColumnAt(String sql, String label) {
        try (Connection c = connect(""); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            List<String> values = new ArrayList<>();
            while (rs.next()) {
                values.add(label == null ? rs.getString(1) : rs.getString(label));
            }
            return values;
        } catch (SQLException e) {
            throw new IllegalStateException(name + ": " + e.getMessage(), e);
        }
    }

    public String gtidBinlogPos() {
        return queryString("SELECT @@GLOBAL.gtid_binlog_pos");
    }

    public String name() {
        return name;
    }

    public String host() {
        return "127.0.0.1";
    }

    public int port() {
        return port;
    }

    public int serverId() {
        return serverId;
    }

    public int gtidDomainId() {
        return gtidDomainId;
    }

    public String adminPassword() {
        return adminPassword;
    }

    public Path dir() {
        return dir;
    }

    public Path dataDir() {
        return dir.resolve("data");
    }

    public Path tmpDir() {
        return dir.resolve("tmp");
    }

    public Path log() {
        return dir.resolve("mariadbd.log");
    }

    public Path pidFile() {
        return dir.resolve("mariadbd.pid");
    }

    MariaDbBinaries binaries() {
        return binaries;
    }

    List<String> extraOptions() {
        return extraOptions;
    }

    /** Unix sockets are limited to 107 bytes; a deep dir gets a short socket path of its own in /tmp. */
    Path socket() {
        Path inDir = dir.resolve("mariadbd.sock");
        if (inDir.toString().length() < 100) {
            return inDir;
        }
        return Path.of("/tmp", "mitosis-" + Integer.toHexString(dir.toString().hashCode()) + "-" + port + ".sock");
    }

    /** What must appear on the command line of this server's process: its data dir. */
    String identity() {
        return "--datadir=" + dataDir();
    }

    private void initializeDataDir() {
        try {
            Path installLog = dir.resolve("install-db.log");
            Process install = new ProcessBuilder(MariaDbOptions.installCommand(this, binaries))
                    .redirectErrorStream(true)
                    .redirectOutput(installLog.toFile())
                    .start();
            if (!install.waitFor(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                install.destroyForcibly();
                throw new IllegalStateException(name + ": mariadb-install-db did not finish in " + START_TIMEOUT);
            }
            if (install.exitValue() != 0) {
                throw new IllegalStateException(name + ": mariadb-install-db exited " + install.exitValue() + ":\n"
                        + ProcessFiles.tail(installLog, 20));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(name + ": cannot initialize " + dataDir(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(name + ": interrupted while initializing", e);
        }
    }

    /** Statements run once by the server at its first start; one per line, as --init-file requires. */
    private Path writeInitFile() {
        String account = "'" + ADMIN_USER + "'@'127.0.0.1'";
        String sql = String.join("\n",
                "SET sql_log_bin=0;",
                "CREATE USER IF NOT EXISTS " + account + " IDENTIFIED BY '" + adminPassword + "';",
                "GRANT ALL PRIVILEGES ON *.* TO " + account + " WITH GRANT OPTION;",
                "");
        return writePrivate(dir.resolve("init.sql"), sql);
    }

    /** The password of an initialized server is the one it was created with; a new one is given or random. */
    private static String loadOrCreatePassword(Path file, String requested) {
        try {
            if (Files.exists(file)) {
                return Files.readString(file, StandardCharsets.UTF_8).trim();
            }
            String password = requested != null ? requested : randomPassword();
            Files.createDirectories(file.getParent());
            writePrivate(file, password + "\n");
            return password;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create " + file, e);
        }
    }

    /** 24 hex digits from a SecureRandom. */
    public static String randomPassword() {
        byte[] random = new byte[12];
        new SecureRandom().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }

    static Path writePrivate(Path file, String content) {
        try {
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, content, StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // the init file holds a password the server already applied; a leftover is only untidy (mode 0600)
        }
    }

    static void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public String toString() {
        return name + "@127.0.0.1:" + port;
    }

    /** Settings of a server; everything but the name has a default. */
    public static final class Builder {
        private final String name;
        private Path baseDir = Path.of("target", "servers");
        private int port;
        private int serverId = 1;
        private int gtidDomainId = 0;
        private final List<String> extraOptions = new ArrayList<>();
        private boolean detached;
        private MariaDbBinaries binaries;
        private String adminPassword;

        private Builder(String name) {
            if (!name.matches("[A-Za-z0-9][A-Za-z0-9_.-]*")) {
                throw new IllegalArgumentException("server name '" + name + "' must match [A-Za-z0-9][A-Za-z0-9_.-]*");
            }
            this.name = name;
        }

        /** The server's dir is {@code baseDir/name}; keep it out of java.io.tmpdir if anything cleans that. */
        public Builder baseDir(Path baseDir) {
            this.baseDir = baseDir;
            return this;
        }

        /** 0 (the default) picks a free port. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder serverId(int serverId) {
            this.serverId = serverId;
            return this;
        }

        public Builder gtidDomainId(int gtidDomainId) {
            this.gtidDomainId = gtidDomainId;
            return this;
        }

        /** Extra {@code mariadbd} options, e.g. {@code --default-time-zone=+05:00}; they override the defaults. */
        public Builder option(String option) {
            this.extraOptions.add(option);
            return this;
        }

        /** A server that outlives this JVM, in its own session (the sandbox's servers). */
        public Builder detached(boolean detached) {
            this.detached = detached;
            return this;
        }

        public Builder binaries(MariaDbBinaries binaries) {
            this.binaries = binaries;
            return this;
        }

        /** The admin password for a server initialized now (default: random); an existing one keeps its own. */
        public Builder adminPassword(String adminPassword) {
            if (!adminPassword.matches("[A-Za-z0-9_.-]{8,64}")) {
                throw new IllegalArgumentException("admin password must be 8-64 of [A-Za-z0-9_.-]");
            }
            this.adminPassword = adminPassword;
            return this;
        }

        public MariaDbServer build() {
            return new MariaDbServer(this);
        }
    }
}
