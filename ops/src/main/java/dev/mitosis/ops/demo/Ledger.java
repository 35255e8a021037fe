package dev.mitosis.ops.demo;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the load generator's acknowledged writes left behind, per uid: the version the row must hold, or that it must
 * be gone. A write that failed leaves its uid uncertain (it may or may not have been applied): such uids are counted
 * apart and left out of the loss check, so a loss is never explained away by an error, nor an error by a loss.
 */
final class Ledger {

    static final long DELETED = -1;
    static final long UNCERTAIN = Long.MIN_VALUE;

    private final Map<Long, Long> expected = new ConcurrentHashMap<>();
    private final AtomicLong inserts = new AtomicLong();
    private final AtomicLong updates = new AtomicLong();
    private final AtomicLong deletes = new AtomicLong();

    void inserted(long uid) {
        expected.put(uid, 1L);
        inserts.incrementAndGet();
    }

    void updated(long uid, long version) {
        expected.put(uid, version);
        updates.incrementAndGet();
    }

    void deleted(long uid) {
        expected.put(uid, DELETED);
        deletes.incrementAndGet();
    }

    void uncertain(long uid) {
        expected.put(uid, UNCERTAIN);
    }

    /** Every uid the generator wrote, with its expected version, {@link #DELETED} or {@link #UNCERTAIN}. */
    Map<Long, Long> expected() {
        return Map.copyOf(expected);
    }

    long inserts() {
        return inserts.get();
    }

    long updates() {
        return updates.get();
    }

    long deletes() {
        return deletes.get();
    }

    long writes() {
        return inserts() + updates() + deletes();
    }

    long uncertainUids() {
        return expected.values().stream().filter(v -> v == UNCERTAIN).count();
    }
}
