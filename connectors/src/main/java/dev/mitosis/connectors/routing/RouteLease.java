package dev.mitosis.connectors.routing;

/** A route held for one write; see {@link ShardRouter#lease}. Close it when the write is done. */
public final class RouteLease implements AutoCloseable {

    private final Route route;
    private final Runnable release;
    private boolean closed;

    RouteLease(Route route, Runnable release) {
        this.route = route;
        this.release = release;
    }

    public Route route() {
        return route;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            release.run();
        }
    }
}
