package dev.mitosis.verifier.internal;

import java.sql.SQLException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs one step on A and A0 at the same time, each session on its own thread, one query per server: the two reads of
 * a chunk start together, so fewer writes land between them.
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
    private final ExecutorService onA;
    private final ExecutorService onA0;

    public BothServers(ServerSession a, ServerSession a0) {
        this.a = a;
        this.a0 = a0;
        this.onA = sessionThread("verify-a");
        this.onA0 = sessionThread("verify-a0");
    }

    /** One thread per session, so that a step on a server never starts before its previous step there ended. */
    private static ExecutorService sessionThread(String name) {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, name);
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
        Future<T> onAFuture = onA.submit(() -> step.on(a));
        Future<T> onA0Future = onA0.submit(() -> step.on(a0));
        Exception failure = null;
        T fromA = null;
        T fromA0 = null;
        try {
            fromA = await(onAFuture);
        } catch (SQLException | RuntimeException e) {
            failure = e;
        }
        try {
            fromA0 = await(onA0Future);
        } catch (SQLException | RuntimeException e) {
            failure = failure == null ? e : failure;
        }
        if (failure instanceof SQLException e) {
            throw e;
        }
        if (failure instanceof RuntimeException e) {
            throw e;
        }
        return new Both<>(fromA, fromA0);
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
        onA.shutdownNow();
        onA0.shutdownNow();
        a.close();
        a0.close();
    }
}
