package dev.mitosis.capture.internal;

import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.util.Set;

/**
 * An engine's binlog client as Debezium's streaming metrics MBean shows it. The engine's "polling started" callback
 * comes before the connector has taken its start position, so only this says capture is live.
 */
final class StreamingProbe {

    /**
     * @param connected  whether the binlog client is connected and streaming
     * @param eventsSeen every event the client read, the server's heartbeats included
     * @param queueFull  whether the engine's queue is full, which blocks the client's reading
     */
    record Sample(boolean connected, long eventsSeen, boolean queueFull) {
        static final Sample NONE = new Sample(false, 0, false);
    }

    private final MBeanServer mbeans = ManagementFactory.getPlatformMBeanServer();
    private final ObjectName pattern;

    /** @param topicPrefix the engine's {@code topic.prefix}: letters, digits, '.', '_' and '-', legal unquoted */
    StreamingProbe(String topicPrefix) {
        try {
            this.pattern = new ObjectName("debezium.mariadb:type=connector-metrics,context=streaming,server="
                    + topicPrefix + ",*");
        } catch (MalformedObjectNameException e) {
            throw new IllegalArgumentException("topic prefix " + topicPrefix + " makes no MBean name", e);
        }
    }

    /** True once the binlog client is connected and streaming; false before, after, or if no MBean is registered. */
    boolean connected() {
        return sample().connected();
    }

    /** The connected client's state, or {@link Sample#NONE} when none is connected (or no MBean is registered). */
    Sample sample() {
        Set<ObjectName> names = mbeans.queryNames(pattern, null);
        for (ObjectName name : names) {
            try {
                if (Boolean.TRUE.equals(mbeans.getAttribute(name, "Connected"))) {
                    long events = ((Number) mbeans.getAttribute(name, "TotalNumberOfEventsSeen")).longValue();
                    int room = ((Number) mbeans.getAttribute(name, "QueueRemainingCapacity")).intValue();
                    return new Sample(true, events, room <= 0);
                }
            } catch (Exception e) {
                // unregistered between query and read: not connected
            }
        }
        return Sample.NONE;
    }
}
