package dev.mitosis.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * A TCP proxy on 127.0.0.1 that forwards each connection to a target port, until {@link #silenceExisting()} makes
 * every connection open so far go quiet the way one does when a host or the network between dies: kept open, never
 * closed, nothing forwarded either way. Connections made afterwards are forwarded as before. No close ever reaches
 * either end of a silenced connection, so only a peer that notices silence can tell it is dead.
 */
public final class SilenceableProxy implements AutoCloseable {

    private final ServerSocket listener;
    private final int targetPort;
    private final List<Link> links = new ArrayList<>();
    private final Thread acceptor;
    private volatile boolean closed;

    private SilenceableProxy(ServerSocket listener, int targetPort) {
        this.listener = listener;
        this.targetPort = targetPort;
        this.acceptor = new Thread(this::accept, "proxy-accept-" + listener.getLocalPort());
        this.acceptor.setDaemon(true);
    }

    /**
     * @param port       where to listen (0: a free port)
     * @param targetPort the port on 127.0.0.1 to forward to
     */
    public static SilenceableProxy start(int port, int targetPort) {
        try {
            ServerSocket listener = new ServerSocket();
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            SilenceableProxy proxy = new SilenceableProxy(listener, targetPort);
            proxy.acceptor.start();
            return proxy;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on 127.0.0.1:" + port, e);
        }
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** Every connection open now stops forwarding, for good, without being closed. */
    public void silenceExisting() {
        synchronized (links) {
            links.forEach(Link::silence);
        }
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = listener.accept();
                Socket upstream = new Socket();
                try {
                    upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 5_000);
                } catch (IOException e) {
                    closeQuietly(client);
                    closeQuietly(upstream);
                    continue;
                }
                Link link = new Link(client, upstream);
                synchronized (links) {
                    links.add(link);
                }
                link.start();
            } catch (IOException e) {
                if (!closed) {
                    throw new UncheckedIOException("proxy on " + port() + " stopped accepting", e);
                }
            }
        }
    }

    /** Closes the listener and every connection, silenced ones too. */
    @Override
    public void close() {
        closed = true;
        closeQuietly(listener);
        synchronized (links) {
            links.forEach(Link::close);
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // closing: nothing left to do with it
        }
    }

    /** One proxied connection: a pump each way. */
    private static final class Link {
        private final Socket client;
        private final Socket upstream;
        private final CountDownLatch silenced = new CountDownLatch(1);

        Link(Socket client, Socket upstream) {
            this.client = client;
            this.upstream = upstream;
        }

        void start() throws IOException {
            pump(client.getInputStream(), upstream.getOutputStream(), "up");
            pump(upstream.getInputStream(), client.getOutputStream(), "down");
        }

        private void pump(InputStream from, OutputStream to, String direction) {
            Thread thread = new Thread(() -> {
                byte[] buffer = new byte[16 * 1024];
                try {
                    int read;
                    while ((read = from.read(buffer)) >= 0 && silenced.getCount() > 0) {
                        to.write(buffer, 0, read);
                        to.flush();
                    }
                } catch (IOException e) {
                    // one end closed or failed: passed on below, unless silenced
                }
                if (silenced.getCount() > 0) {
                    close();
                }
                // Silenced: whatever arrives is dropped, and neither end hears of it.
            }, "proxy-" + direction + "-" + client.getPort());
            thread.setDaemon(true);
            thread.start();
        }

        void silence() {
            silenced.countDown();
        }

        void close() {
            closeQuietly(client);
            closeQuietly(upstream);
        }
    }
}
