package dev.mitosis.verifier.internal;

import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BothServersTest {

    @Test
    void aFailureOnOneServerIsThrownOnlyOnceTheOtherServersStepEnded() throws Exception {
        BothServers servers = new BothServers(null, null);
        AtomicBoolean a0Ended = new AtomicBoolean();
        CountDownLatch aFailed = new CountDownLatch(1);
        assertThatThrownBy(() -> servers.run(s -> {
            if (Thread.currentThread().getName().equals("verify-a")) {
                aFailed.countDown();
                throw new SQLException("A is gone");
            }
            // A0 is still answering when A's failure is known: the next step must not find it busy.
            try {
                assertThat(aFailed.await(5, TimeUnit.SECONDS)).isTrue();
                Thread.sleep(200);
            } catch (InterruptedException e) {
                throw new SQLException(e);
            }
            a0Ended.set(true);
            return "a0";
        })).isInstanceOf(SQLException.class).hasMessage("A is gone");
        assertThat(a0Ended).isTrue();
    }

    @Test
    void eachServerRunsItsStepsOnOneThreadInOrder() throws Exception {
        BothServers servers = new BothServers(null, null);
        BothServers.Both<String> first = servers.run(s -> Thread.currentThread().getName());
        BothServers.Both<String> second = servers.run(s -> Thread.currentThread().getName());
        assertThat(first).isEqualTo(new BothServers.Both<>("verify-a", "verify-a0")).isEqualTo(second);
    }
}
