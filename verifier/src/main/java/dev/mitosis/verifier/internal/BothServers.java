package dev.mitosis.verifier.internal;

import java.sql.SQLException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs one step on A and A0 at the same time, one query per server: the two reads of a chunk start together, so
 * fewer writes land between them.
 */
public final class BothServers implements AutoCloseable {

    /** A step on one server's session. */
    @FunctionalInterface
    public interface Step<T> {
        T on(ServerSession session) throws SQLException;
    }

    /** What both servers answered. */
    public record Both<T>(T a, T a0) {
    }

    private final ServerSession a;
    private final ServerSession a0;
    private final ExecutorService pool;

    public BothServers(ServerSession a, ServerSession a0) {
        this.a = a;
        this.a0 = a0;
        this.pool = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "verify-" + (r.hashCode() & 0xffff));
            t.setDaemon(true);
            return t;
        });
    }

    public ServerSession a() {
        return a;
    }

    public ServerSession a0() {
        return a0;
    }

    /** Runs {@code step} on both sessions in parallel; the first failure is thrown once both finished. */
    public <T> Both<T> run(Step<T> step) throws SQLException {
        Future<T> onA = pool.submit(() -> step.on(a));
        Future<T> onA0 = pool.submit(() -> step.on(a0));
        return new Both<>(await(onA), await(onA0));
    }

    private static <T> T await(Future<T> future) throws SQLException {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while a server answered", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SQLException s) {
                throw s;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
        a.close();
        a0.close();
    }
}
