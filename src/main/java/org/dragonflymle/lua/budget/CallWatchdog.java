package org.dragonflymle.lua.budget;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Watches the calls of one script instance from a thread of its own, so that a call past its
 * deadline is stopped even when it runs no Lua instruction: it flags the call ({@link
 * CallBudget#expire}), which wakes a blocking wait (a Redis reply, an HTTP download) by closing
 * what it waits on; the call aborts at its next poll. A call that still runs {@code grace} later is
 * stuck in code that never polls: {@code onStuck} is told once (the operator fails its task, so
 * Flink restarts it from the last checkpoint) – never a silent hang.
 *
 * <p>One thread per script instance, started by the host and ended by {@link #close()}: its life is
 * the operator's, it holds no state shared with other jobs, and it never touches the task thread
 * (no {@link Thread#interrupt()}, which Flink uses for cancellation and which closes NIO channels).
 * It sleeps until the call it sees could have spent its budget, {@value #IDLE_MILLIS} ms at most,
 * so it wakes a few times a second and costs the calls nothing but the release stores of {@link
 * CallBudget#arm} and {@link CallBudget#disarm}. A call that runs is checked against its thread's
 * CPU clock ({@link CallTime}), one that waits against the end of its wait, one that hands an event
 * on not at all (the next stage has its own budget).
 */
public final class CallWatchdog implements AutoCloseable {

    static final long IDLE_MILLIS = 250;

    private final CallBudget budget;
    private final long graceNanos;
    private final Consumer<String> onStuck;
    private final Thread thread;
    private volatile boolean closed;

    /**
     * @param name the thread's name, naming the script instance
     * @param grace how long a flagged call may take to abort before {@code onStuck} is called
     * @param onStuck told, with a message naming the call and its budget, that a call did not abort
     */
    public CallWatchdog(CallBudget budget, String name, Duration grace, Consumer<String> onStuck) {
        this.budget = budget;
        this.graceNanos = grace.toNanos();
        this.onStuck = onStuck;
        this.thread = new Thread(this::run, name);
        thread.setDaemon(true);
    }

    public CallWatchdog start() {
        thread.start();
        return this;
    }

    private void run() {
        long reported = -1;
        while (!closed) {
            long g = budget.observeGeneration();
            if ((g & 1) == 0 || g == reported) {
                LockSupport.parkNanos(this, IDLE_MILLIS * 1_000_000L);
                continue;
            }
            long now = System.nanoTime();
            long due = budget.watchdogDue(now);
            if (budget.observeGeneration() != g) {
                continue;
            }
            if (now - due < 0) {
                long wait = due == Long.MAX_VALUE ? IDLE_MILLIS * 1_000_000L : due - now;
                LockSupport.parkNanos(this, Math.min(wait, IDLE_MILLIS * 1_000_000L) + 100_000);
                continue;
            }
            budget.expire(g);
            long stuckAt = System.nanoTime() + graceNanos;
            while (!closed && budget.observeGeneration() == g && System.nanoTime() - stuckAt < 0) {
                LockSupport.parkNanos(this, Math.min(stuckAt - System.nanoTime(), 50_000_000L));
            }
            if (!closed && budget.observeGeneration() == g) {
                reported = g;
                onStuck.accept(
                        budget.what()
                                + " ran past its budget of "
                                + budget.budgetMillis()
                                + " ms and did not stop within "
                                + graceNanos / 1_000_000
                                + " ms after it was told to (stuck in code that cannot be"
                                + " interrupted)");
            }
        }
    }

    /** Ends the watchdog's thread. Idempotent. */
    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(thread);
    }

    /** For tests: whether the thread has ended. */
    boolean hasEnded() {
        return !thread.isAlive();
    }
}
