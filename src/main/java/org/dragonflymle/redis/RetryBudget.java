package org.dragonflymle.redis;

/**
 * Decides, for one connection, whether to retry after a failure, how long to pause first, and when
 * to give up, following a {@link ReconnectPolicy}.
 *
 * <p>The budget of a call starts at its first failure and is forgotten by {@link #endCall()}. A
 * dropped connection is retried at once (Redis may merely have closed an idle socket); a failed
 * connect pauses with exponential back-off. Once a call has spent its budget the connection is
 * {@link #exhausted()}: later calls may try once, at most every {@code maxBackoff}, and fail at
 * once otherwise, until a connect succeeds. Not thread-safe.
 */
final class RetryBudget {

    /** {@link #afterFailure} result: give up now. */
    static final long GIVE_UP = -1;

    private final long budgetNanos;
    private final long initialBackoffNanos;
    private final long maxBackoffNanos;

    private long deadline; // 0: no failure in the current call
    private long backoffNanos;
    private boolean exhausted;
    private long lastAttemptNanos;

    RetryBudget(ReconnectPolicy policy) {
        this.budgetNanos = policy.budget().toNanos();
        this.initialBackoffNanos = policy.initialBackoff().toNanos();
        this.maxBackoffNanos = policy.maxBackoff().toNanos();
    }

    /** Whether a connect may be tried now; records the attempt if so. */
    boolean tryAttempt() {
        long now = System.nanoTime();
        if (exhausted && deadline == 0 && now - lastAttemptNanos < maxBackoffNanos) {
            return false;
        }
        lastAttemptNanos = now;
        return true;
    }

    /**
     * After a failure of the current call: the nanoseconds to pause before the next attempt (0:
     * retry at once), or {@link #GIVE_UP}.
     */
    long afterFailure(boolean connectFailed) {
        long now = System.nanoTime();
        if (deadline == 0) {
            if (exhausted) {
                return GIVE_UP;
            }
            deadline = now + budgetNanos;
            backoffNanos = initialBackoffNanos;
            if (!connectFailed) {
                return 0;
            }
        }
        long remaining = deadline - now;
        if (remaining <= 0) {
            exhausted = true;
            return GIVE_UP;
        }
        long pause = Math.min(backoffNanos, remaining);
        backoffNanos = Math.min(backoffNanos * 2, maxBackoffNanos);
        return pause;
    }

    /** A connect succeeded: the next outage gets a full budget again. */
    void connected() {
        exhausted = false;
    }

    /** Whether a call spent its budget and no connect has succeeded since. */
    boolean exhausted() {
        return exhausted;
    }

    /** The current call is over, whatever its outcome. */
    void endCall() {
        deadline = 0;
    }
}
