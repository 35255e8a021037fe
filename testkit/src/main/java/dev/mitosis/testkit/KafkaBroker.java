package dev.mitosis.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Uuid;

/**
 * One real Kafka broker (KRaft, broker and controller in one node) on 127.0.0.1, in a child JVM with its log dir
 * on disk under {@code dir}. A child rather than this JVM so tests can kill -9 and restart it, and so the sandbox's
 * broker outlives the command that started it.
 */
public final class KafkaBroker implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final Path dir;
    private final int port;
    private final int controllerPort;
    private final boolean detached;
    private final String heap;

    private KafkaBroker(Path dir, int port, int controllerPort, boolean detached, String heap) {
        this.dir = dir.toAbsolutePath().normalize();
        this.port = port == 0 ? Ports.free() : port;
        this.controllerPort = controllerPort == 0 ? Ports.free() : controllerPort;
        this.detached = detached;
        this.heap = heap;
    }

    /**
     * A broker in {@code dir}; ports 0 pick free ones. The same dir and ports restart the same broker with its data.
     *
     * @param detached outlives this JVM (the sandbox's broker)
     */
    public static KafkaBroker inDir(Path dir, int port, int controllerPort, boolean detached) {
        return new KafkaBroker(dir, port, controllerPort, detached, "512m");
    }

    /** Writes its config on first start, launches the child JVM and waits (bounded) until the broker answers. */
    public KafkaBroker start() {
        if (isRunning()) {
            throw new IllegalStateException("Kafka broker in " + dir + " is already running");
        }
        writeConfig();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = List.of(java,
                "-Xms64m", "-Xmx" + heap, "-XX:+UseSerialGC",
                "-Dlog4j2.configurationFile=" + dir.resolve("log4j2.properties"),
                "-cp", System.getProperty("java.class.path"),
                KafkaBrokerMain.class.getName(), properties().toString());
        OwnedProcess process = OwnedProcess.spawn(command, log(), pidFile(), properties().toString(), Map.of(), detached);
        awaitReady(process);
        return this;
    }

    /** SIGTERM (Kafka's controlled shutdown), SIGKILL after 30 s. */
    public void stop() {
        process().ifPresent(p -> p.terminate(STOP_TIMEOUT));
    }

    /** SIGKILL, as a crash. */
    public void kill() {
        process().ifPresent(OwnedProcess::kill);
    }

    public KafkaBroker restart() {
        stop();
        return start();
    }

    @Override
    public void close() {
        stop();
    }

    public boolean isRunning() {
        return process().isPresent();
    }

    public Optional<OwnedProcess> process() {
        return OwnedProcess.fromPidFile(pidFile());
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public int controllerPort() {
        return controllerPort;
    }

    public Path dir() {
        return dir;
    }

    public Path log() {
        return dir.resolve("broker.log");
    }

    public Path pidFile() {
        return dir.resolve("broker.pid");
    }

    private Path properties() {
        return dir.resolve("server.properties");
    }

    private void writeConfig() {
        try {
            Files.createDirectories(dir);
            Path clusterId = dir.resolve("cluster.id");
            if (!Files.exists(clusterId)) {
                Files.writeString(clusterId, Uuid.randomUuid() + "\n", StandardCharsets.UTF_8);
            }
            Files.writeString(properties(), String.join("\n",
                    "process.roles=broker,controller",
                    "node.id=1",
                    "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                    "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                    "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                    "controller.listener.names=CONTROLLER",
                    "inter.broker.listener.name=PLAINTEXT",
                    "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                    "log.dirs=" + dir.resolve("data"),
                    "num.partitions=1",
                    "offsets.topic.replication.factor=1",
                    "offsets.topic.num.partitions=4",
                    "transaction.state.log.replication.factor=1",
                    "transaction.state.log.min.isr=1",
                    "transaction.state.log.num.partitions=4",
                    "share.coordinator.state.topic.replication.factor=1",
                    "share.coordinator.state.topic.min.isr=1",
                    "group.initial.rebalance.delay.ms=0",
                    // One node: after a kill -9 its old registration and leadership must lapse before it serves
                    // again, which takes ~20 s with the defaults meant for real clusters.
                    "broker.heartbeat.interval.ms=500",
                    "broker.session.timeout.ms=1500",
                    "controller.quorum.election.timeout.ms=500",
                    "controller.quorum.fetch.timeout.ms=1000",
                    ""), StandardCharsets.UTF_8);
            Files.writeString(dir.resolve("log4j2.properties"), String.join("\n",
                    "rootLogger.level=WARN",
                    "rootLogger.appenderRef.out.ref=out",
                    "appender.out.type=Console",
                    "appender.out.name=out",
                    "appender.out.layout.type=PatternLayout",
                    "appender.out.layout.pattern=%d{ISO8601} %-5p [%c{1}] %m%n",
                    "logger.server.name=kafka.server.KafkaRaftServer",
                    "logger.server.level=INFO",
                    ""), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the broker config in " + dir, e);
        }
    }

    private void awaitReady(OwnedProcess process) {
        Properties config = new Properties();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "2000");
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "2000");
        config.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "200");
        try (Admin admin = Admin.create(config)) {
            process.awaitReady("Kafka broker on " + bootstrapServers(), START_TIMEOUT, Duration.ofMillis(100), () -> {
                if (admin.describeCluster(new DescribeClusterOptions().timeoutMs(2000)).nodes().get(3, TimeUnit.SECONDS).isEmpty()) {
                    throw new IllegalStateException("no broker registered yet");
                }
            }, log());
        }
    }

    @Override
    public String toString() {
        return "kafka@" + bootstrapServers();
    }
}
