package org.dragonflymle.lua;

import java.lang.management.ManagementFactory;
import org.dragonflymle.lua.api.UncountedTime;
import org.luaj.vm2.LuaClosure;
import org.luaj.vm2.LuaFunction;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.DebugLib;

/**
 * Aborts a {@code loop} call that runs past its time budget or allocates more than its memory
 * budget, so an endless loop or a memory bomb costs one event instead of the job. LuaJ calls a
 * debug library's hooks on every instruction of the script's own thread; this one keeps none of
 * DebugLib's call-stack bookkeeping and looks at the thread's allocation counter every 32
 * instructions and at the clock every 1,024, which keeps the cost under a nanosecond per
 * instruction.
 *
 * <p>The memory budget counts bytes the thread allocated during the call (the JVM's per-thread
 * allocation counter), not bytes retained: LuaJ has no allocator hook, and a call that allocates a
 * quarter of the heap is a bomb whether or not it keeps it. A single instruction that allocates
 * more than the heap holds (a string doubled thirty times) is stopped by the OutOfMemoryError
 * handling in {@link ScriptHost#loop} instead.
 *
 * <p>It is installed as the Globals' debug hook only, never as the script-visible {@code debug}
 * table. The abort is an {@link Error}, so a script's {@code pcall} cannot swallow it.
 */
public final class LoopBudget extends DebugLib implements UncountedTime {

    /** Thrown through the script when the budget is spent; ScriptHost turns it into an error. */
    public static final class Exceeded extends Error {
        Exceeded(String message) {
            super(message, null, false, false);
        }
    }

    private static final com.sun.management.ThreadMXBean THREADS = allocationCounter();

    private final long budgetNanos;
    private final long budgetBytes;
    private long deadline;
    private long allocationLimit;
    private int instructions;
    private boolean armed;

    /** A time budget only. */
    public LoopBudget(long budgetMillis) {
        this(budgetMillis, 0);
    }

    /**
     * @param budgetMillis wall time one call may take; 0 for no bound
     * @param budgetBytes bytes one call may allocate; 0 for no bound (also when the JVM cannot
     *     count allocations per thread)
     */
    public LoopBudget(long budgetMillis, long budgetBytes) {
        this.budgetNanos = budgetMillis * 1_000_000L;
        this.budgetBytes = THREADS == null ? 0 : budgetBytes;
    }

    public long budgetMillis() {
        return budgetNanos / 1_000_000L;
    }

    void arm() {
        instructions = 0;
        deadline = System.nanoTime() + (budgetNanos > 0 ? budgetNanos : Long.MAX_VALUE / 2);
        allocationLimit =
                budgetBytes > 0
                        ? THREADS.getCurrentThreadAllocatedBytes() + budgetBytes
                        : Long.MAX_VALUE;
        armed = budgetNanos > 0 || budgetBytes > 0;
    }

    void disarm() {
        armed = false;
    }

    /**
     * Leaves {@code nanos} of the running call out of its budget: time the script spent waiting for
     * I/O (a Redis reply, reconnecting while Redis is down) rather than running Lua. Such waits
     * have bounds of their own (socket timeout, retry budget); counted here, the event whose Redis
     * call waited for Redis to come back would be aborted right after the call succeeded.
     */
    @Override
    public void notCounting(long nanos) {
        if (armed) {
            deadline += nanos;
        }
    }

    @Override
    public void onInstruction(int pc, Varargs v, int top) {
        if (armed && (++instructions & 0x1f) == 0) {
            check();
        }
    }

    // The allocation counter costs about 11 ns here and is read every 32 instructions, so that a
    // loop concatenating 64 MiB strings overshoots the budget by a few hundred MiB at most; the
    // clock costs about 27 ns and is read every 1,024.
    private void check() {
        if (budgetBytes > 0 && THREADS.getCurrentThreadAllocatedBytes() > allocationLimit) {
            armed = false;
            throw new Exceeded(
                    "loop allocated more than its budget of " + (budgetBytes >> 20) + " MiB");
        }
        if ((instructions & 0x3ff) == 0 && System.nanoTime() - deadline > 0) {
            armed = false;
            throw new Exceeded("loop ran longer than its budget of " + budgetMillis() + " ms");
        }
    }

    private static com.sun.management.ThreadMXBean allocationCounter() {
        if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean t
                && t.isThreadAllocatedMemorySupported()) {
            if (!t.isThreadAllocatedMemoryEnabled()) {
                t.setThreadAllocatedMemoryEnabled(true);
            }
            return t;
        }
        return null;
    }

    @Override
    public void onCall(LuaFunction f) {}

    @Override
    public void onCall(LuaClosure c, Varargs varargs, LuaValue[] stack) {}

    @Override
    public void onReturn() {}

    @Override
    public String traceback(int level) {
        return "";
    }
}
