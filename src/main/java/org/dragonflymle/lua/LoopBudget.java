package org.dragonflymle.lua;

import org.luaj.vm2.LuaClosure;
import org.luaj.vm2.LuaFunction;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.DebugLib;

/**
 * Aborts a {@code loop} call that runs past its time budget, so an endless loop costs one event
 * instead of the job. LuaJ calls a debug library's hooks on every instruction of the script's own
 * thread; this one keeps none of DebugLib's call-stack bookkeeping and looks at the clock every
 * 1,024 instructions, which keeps the cost to a counter increment per instruction.
 *
 * <p>It is installed as the Globals' debug hook only, never as the script-visible {@code debug}
 * table. The abort is an {@link Error}, so a script's {@code pcall} cannot swallow it.
 */
public final class LoopBudget extends DebugLib {

    /** Thrown through the script when the budget is spent; ScriptHost turns it into an error. */
    public static final class Exceeded extends Error {
        Exceeded(String message) {
            super(message, null, false, false);
        }
    }

    private final long budgetNanos;
    private long deadline;
    private int instructions;
    private boolean armed;

    public LoopBudget(long budgetMillis) {
        this.budgetNanos = budgetMillis * 1_000_000L;
    }

    public long budgetMillis() {
        return budgetNanos / 1_000_000L;
    }

    void arm() {
        instructions = 0;
        deadline = System.nanoTime() + budgetNanos;
        armed = budgetNanos > 0;
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
    public void notCounting(long nanos) {
        if (armed) {
            deadline += nanos;
        }
    }

    @Override
    public void onInstruction(int pc, Varargs v, int top) {
        if (armed && (++instructions & 0x3ff) == 0 && System.nanoTime() > deadline) {
            armed = false;
            throw new Exceeded("loop ran longer than its budget of " + budgetMillis() + " ms");
        }
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
