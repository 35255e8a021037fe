package dev.mitosis.connectors.topology;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A network address: host name or IP address, and TCP port.
 *
 * @param host a host name, an IPv4 address or an IPv6 address (without brackets)
 * @param port in {@code 1..65535}
 */
public record HostPort(String host, int port) {

    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9._-]+");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.%]+");

    /** Checks the port range and that the host is not empty. */
    public HostPort {
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("host is empty");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is out of range [1, 65535]");
        }
    }

    /**
     * Parses {@code host:port}, with an IPv6 address in brackets: {@code [::1]:9092}.
     *
     * @throws IllegalArgumentException with a phrase saying what is wrong, e.g. {@code has no port}
     */
    public static HostPort parse(String text) {
        int colon = text.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("has no port");
        }
        String host = text.substring(0, colon);
        String port = text.substring(colon + 1);
        if (host.startsWith("[") && host.endsWith("]") && IPV6.matcher(host.substring(1, host.length() - 1)).matches()) {
            host = host.substring(1, host.length() - 1);
        } else if (!HOST.matcher(host).matches()) {
            throw new IllegalArgumentException(host.isEmpty() ? "has no host" : "has a bad host");
        }
        if (!port.matches("[0-9]{1,5}") || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
            throw new IllegalArgumentException("has a port outside [1, 65535]");
        }
        return new HostPort(host, Integer.parseInt(port));
    }

    /**
     * Whether two addresses are the same server as written: host names compare without case. Names are not
     * resolved, so {@code localhost} and {@code 127.0.0.1} differ.
     */
    public boolean sameAs(HostPort other) {
        return port == other.port && host.toLowerCase(Locale.ROOT).equals(other.host.toLowerCase(Locale.ROOT));
    }

    /** {@code host:port}, with an IPv6 address in brackets. */
    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
