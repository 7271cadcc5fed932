package org.dragonflymle.redis;

import java.time.Duration;
import java.util.Objects;

/**
 * How long a Redis call keeps trying when Redis is unreachable, and how it paces the attempts.
 *
 * <p>A call that meets a dropped connection reconnects right away, then waits {@code
 * initialBackoff}, doubling up to {@code maxBackoff}, between attempts, until {@code budget} has
 * passed since its first failure; only then does it fail. After a call has spent its budget, later
 * calls fail at once, but at most every {@code maxBackoff} one of them tries to connect, so the
 * caller recovers as soon as Redis is back without waiting out the budget on every event.
 *
 * @param budget total time one call may spend reconnecting; default 12 s
 * @param initialBackoff the first pause between attempts; default 50 ms
 * @param maxBackoff the longest pause; default 1 s
 * @param connectTimeout for one TCP (and TLS) connect; default 2 s
 * @param socketTimeout for one reply; a read that takes longer counts as a dropped connection;
 *     default 10 s
 */
public record ReconnectPolicy(
        Duration budget,
        Duration initialBackoff,
        Duration maxBackoff,
        Duration connectTimeout,
        Duration socketTimeout) {

    public ReconnectPolicy {
        Objects.requireNonNull(budget, "budget");
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(socketTimeout, "socketTimeout");
        if (budget.isNegative()
                || initialBackoff.isNegative()
                || initialBackoff.isZero()
                || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException(
                    "need budget >= 0 and 0 < initialBackoff <= maxBackoff: " + this);
        }
        if (connectTimeout.isNegative()
                || connectTimeout.isZero()
                || socketTimeout.isNegative()
                || socketTimeout.isZero()) {
            throw new IllegalArgumentException("timeouts must be positive: " + this);
        }
    }

    public static ReconnectPolicy defaults() {
        return new ReconnectPolicy(
                Duration.ofSeconds(12),
                Duration.ofMillis(50),
                Duration.ofSeconds(1),
                Duration.ofSeconds(2),
                Duration.ofSeconds(10));
    }

    /** The defaults with another budget (tests use a short one); back-off stays within it. */
    public static ReconnectPolicy withBudget(Duration budget) {
        ReconnectPolicy d = defaults();
        Duration max = min(d.maxBackoff, max(budget, Duration.ofMillis(1)));
        Duration initial = min(d.initialBackoff, max);
        return new ReconnectPolicy(budget, initial, max, d.connectTimeout, d.socketTimeout);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
