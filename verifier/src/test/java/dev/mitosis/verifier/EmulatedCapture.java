package dev.mitosis.verifier;

import dev.mitosis.connectors.capture.CaptureState;
import dev.mitosis.connectors.capture.CaptureStatus;
import dev.mitosis.connectors.capture.CaptureStatusStore;
import dev.mitosis.connectors.events.ChangeEventReader;
import dev.mitosis.connectors.kafka.KafkaClients;
import dev.mitosis.testkit.MariaDbServer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Writes to {@code app.accounts} through A and publishes what capture would: each committed update as a change
 * event on A's change topic (with its GTID), and both servers' status on the health topic with the processed
 * position at the binlog position read after the event was acknowledged. The verifier module may not use the
 * capture module, and this is all of capture the verifier reads.
 */
final class EmulatedCapture implements AutoCloseable {

    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicBoolean writing = new AtomicBoolean(true);
    private volatile long lastWriteNanos;
    private final AtomicLong writes = new AtomicLong();
    private final Thread thread;
    private volatile Throwable failure;

    private EmulatedCapture(Thread thread) {
        this.thread = thread;
    }

    /**
     * @param rows        ids 1..rows are updated at random
     * @param perSecond   writes per second
     * @param withStatus  whether capture status is published (false: as if capture were not running)
     */
    static EmulatedCapture start(MariaDbServer a, MariaDbServer a0, KafkaClients kafka, int rows, int perSecond,
                                 boolean withStatus, long seed) {
        EmulatedCapture[] self = new EmulatedCapture[1];
        Thread t = new Thread(() -> self[0].run(a, a0, kafka, rows, perSecond, withStatus, seed), "emulated-capture");
        self[0] = new EmulatedCapture(t);
        t.start();
        return self[0];
    }

    long writes() {
        return writes.get();
    }

    /** Stops writing; status goes on being published until {@link #close()}, as a running capture's would. */
    void stopWrites() {
        writing.set(false);
    }

    /** {@link System#nanoTime()} of the last committed write. */
    long lastWriteNanos() {
        return lastWriteNanos;
    }

    private void run(MariaDbServer a, MariaDbServer a0, KafkaClients kafka, int rows, int perSecond, boolean withStatus,
                     long seed) {
        Random random = new Random(seed);
        String topic = kafka.topics().changes(a.name(), "app", "accounts");
        try (Connection c = a.connect("app"); Connection c0 = a0.connect("app");
             PreparedStatement update = c.prepareStatement("UPDATE accounts SET balance = balance + 1 WHERE id = ?");
             Statement gtid = c.createStatement(); Statement gtid0 = c0.createStatement();
             KafkaProducer<byte[], byte[]> producer = kafka.newProducer("emulated-capture");
             CaptureStatusStore statuses = new CaptureStatusStore(kafka, Duration.ofSeconds(10))) {
            long next = System.nanoTime();
            long lastStatus = 0;
            while (running.get()) {
                next += 1_000_000_000L / perSecond;
                LockSupport.parkNanos(next - System.nanoTime()); // pacing the load
                if (!writing.get()) {
                    if (System.nanoTime() - lastStatus > 100_000_000L) {
                        publishStatus(withStatus, a, a0, gtid, gtid0, statuses);
                        lastStatus = System.nanoTime();
                    }
                    continue;
                }
                long id = 1 + random.nextInt(rows);
                update.setLong(1, id);
                update.executeUpdate();
                String last = query(gtid, "SELECT @@last_gtid");
                String value = "{\"op\":\"u\",\"before\":{\"id\":" + id + "},\"after\":{\"id\":" + id + "},"
                        + "\"source\":{\"db\":\"app\",\"table\":\"accounts\",\"gtid\":\"" + last + "\",\"file\":"
                        + "\"bin.000001\",\"pos\":" + writes.get() + ",\"server_id\":" + a.serverId() + ",\"ts_ms\":"
                        + System.currentTimeMillis() + "}}";
                ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic,
                        ("{\"id\":" + id + "}").getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8));
                record.headers().add(ChangeEventReader.HEADER_SERVER, a.name().getBytes(StandardCharsets.UTF_8));
                record.headers().add(ChangeEventReader.HEADER_SERVER_ID,
                        Integer.toString(a.serverId()).getBytes(StandardCharsets.UTF_8));
                lastWriteNanos = System.nanoTime();
                producer.send(record).get();
                writes.incrementAndGet();
                if (System.nanoTime() - lastStatus > 100_000_000L) {
                    publishStatus(withStatus, a, a0, gtid, gtid0, statuses);
                    lastStatus = System.nanoTime();
                }
            }
        } catch (Throwable e) {
            failure = e;
        }
    }

    /** Only A is written, by this thread, so everything either binlog holds up to now is published. */
    private void publishStatus(boolean withStatus, MariaDbServer a, MariaDbServer a0, Statement gtid, Statement gtid0,
                               CaptureStatusStore statuses) throws java.sql.SQLException {
        if (!withStatus) {
            return;
        }
        for (MariaDbServer s : List.of(a, a0)) {
            String pos = query(s == a ? gtid : gtid0, "SELECT @@GLOBAL.gtid_binlog_pos");
            statuses.publish(new CaptureStatus(s.name(), CaptureState.RUNNING, pos, pos, 0, 0, Instant.now(),
                    writes.get(), 0, 0, null, Instant.now()));
        }
    }

    private static String query(Statement s, String sql) throws java.sql.SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        thread.join(Duration.ofSeconds(30).toMillis());
        if (failure != null) {
            throw new IllegalStateException("the emulated capture failed", failure);
        }
    }
}
