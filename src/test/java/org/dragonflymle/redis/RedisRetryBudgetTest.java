package org.dragonflymle.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RedisRetryBudgetTest {

    private static final long MS = 1_000_000;

    private static RetryBudget budget(long budgetMs, long initialMs, long maxMs) {
        return new RetryBudget(
                new ReconnectPolicy(
                        Duration.ofMillis(budgetMs),
                        Duration.ofMillis(initialMs),
                        Duration.ofMillis(maxMs),
                        Duration.ofSeconds(1),
                        Duration.ofSeconds(1)));
    }

    @Test
    void aDropIsRetriedAtOnceAndFailedConnectsBackOffUpToTheMaximum() {
        RetryBudget b = budget(60_000, 50, 400);
        assertThat(b.tryAttempt()).isTrue();
        assertThat(b.afterFailure(false)).isZero();
        assertThat(b.afterFailure(true)).isEqualTo(50 * MS);
        assertThat(b.afterFailure(true)).isEqualTo(100 * MS);
        assertThat(b.afterFailure(true)).isEqualTo(200 * MS);
        assertThat(b.afterFailure(true)).isEqualTo(400 * MS);
        assertThat(b.afterFailure(true)).isEqualTo(400 * MS);
        assertThat(b.exhausted()).isFalse();
    }

    @Test
    void aSpentBudgetFailsLaterCallsAtOnceWithARareProbe() throws Exception {
        RetryBudget b = budget(20, 10, 50);
        assertThat(b.afterFailure(true)).isEqualTo(10 * MS);
        Thread.sleep(25);
        assertThat(b.afterFailure(true)).isEqualTo(RetryBudget.GIVE_UP);
        assertThat(b.exhausted()).isTrue();
        b.endCall();

        assertThat(b.tryAttempt()).as("probe due: the last attempt was long ago").isTrue();
        assertThat(b.afterFailure(true)).as("a failed probe gives up at once").isEqualTo(-1);
        b.endCall();
        assertThat(b.tryAttempt()).as("no second probe within maxBackoff").isFalse();
        Thread.sleep(60);
        assertThat(b.tryAttempt()).isTrue();

        b.connected();
        b.endCall();
        assertThat(b.exhausted()).isFalse();
        assertThat(b.afterFailure(false)).as("a new outage has a full budget").isZero();
    }

    @Test
    void policyRejectsBackOffThatCouldSpin() {
        assertThatThrownBy(() -> budget(1000, 0, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThat(ReconnectPolicy.withBudget(Duration.ZERO).initialBackoff()).isPositive();
    }
}
