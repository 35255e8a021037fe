package dev.mitosis.capture.internal;

import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.util.Set;

/**
 * Whether an engine's binlog client is connected, from Debezium's streaming metrics MBean. The engine's "polling
 * started" callback comes before the connector has taken its start position, so only this says capture is live.
 */
final class StreamingProbe {

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
        Set<ObjectName> names = mbeans.queryNames(pattern, null);
        for (ObjectName name : names) {
            try {
                if (Boolean.TRUE.equals(mbeans.getAttribute(name, "Connected"))) {
                    return true;
                }
            } catch (Exception e) {
                // unregistered between query and read: not connected
            }
        }
        return false;
    }
}
