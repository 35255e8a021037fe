package dev.mitosis.verifier.internal;

import java.sql.SQLException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs steps on A and A0, each session on its own thread, one query at a time and in the order asked: the two reads
 * of a chunk start together, so fewer writes land between them, and a step started ahead on both ({@link #start})
 * runs before anything asked after it.
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

    /** A step running on both servers, not waited for yet. */
    public record Started<T>(Future<T> a, Future<T> a0) {

        /** Waits for both; the first failure is thrown once both finished. */
        public Both<T> await() throws SQLException {
            Exception failure = null;
            T onA = null;
            T onA0 = null;
            try {
                onA = BothServers.await(a);
            } catch (SQLException | RuntimeException e) {
                failure = e;
            }
            try {
                onA0 = BothServers.await(a0);
            } catch (SQLException | RuntimeException e) {
                failure = failure == null ? e : failure;
            }
            if (failure instanceof SQLException e) {
                throw e;
            }
            if (failure instanceof RuntimeException e) {
                throw e;
            }
            return new Both<>(onA, onA0);
        }

        /** Waits for both, whatever they answer: to leave neither session busy. */
        public void awaitQuietly() {
            try {
                await();
            } catch (SQLException | RuntimeException ignored) {
                // What a read no one waits for any more answered does not matter; that it ended does.
            }
        }
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
        return start(step).await();
    }

    /** Starts {@code step} on both sessions, after whatever each already has to do. */
    public <T> Started<T> start(Step<T> step) {
        return new Started<>(onA.submit(() -> step.on(a)), onA0.submit(() -> step.on(a0)));
    }

    /** Runs {@code step} on A's session alone, after whatever it already has to do. */
    public <T> T onA(Step<T> step) throws SQLException {
        return await(onA.submit(() -> step.on(a)));
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
