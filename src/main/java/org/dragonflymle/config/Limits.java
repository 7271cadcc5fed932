package org.dragonflymle.config;

import java.io.Serializable;

/**
 * Bounds from config.lua's {@code limits} table: per event, per call into a script, per script
 * instance and per pipeline. Every bound has a default (docs/guarantees.md lists them with the
 * tests that prove them); exceeding one costs the event or the call that did it, never the job,
 * except {@link #maxStages} which is checked before the job starts.
 *
 * @param maxEventBytes an input line longer than this is rejected to the error output
 * @param loopBudgetMillis a {@code loop} call (event or timer) running longer is aborted as a
 *     script error
 * @param maxNestingDepth JSON deeper than this is rejected (never a StackOverflowError)
 * @param loopMemoryBytes a {@code loop} call allocating more is aborted as a script error
 * @param setupBudgetMillis a script's top-level code and {@code setup()} running longer together
 *     stop the job from starting (exit 2)
 * @param maxCoroutines coroutines one script instance may keep alive (each is a Java thread)
 * @param maxPendingTimers timers one instance of a stage may have pending; one more is a Lua error
 * @param maxStages inputs and analyzers together a config may declare
 * @param maxRetainedBytes what one script instance may keep across calls (an estimate, measured
 *     from time to time); more stops the job
 */
public record Limits(
        int maxEventBytes,
        long loopBudgetMillis,
        int maxNestingDepth,
        long loopMemoryBytes,
        long setupBudgetMillis,
        int maxCoroutines,
        int maxPendingTimers,
        int maxStages,
        long maxRetainedBytes)
        implements Serializable {

    public static final int DEFAULT_MAX_EVENT_BYTES = 1 << 20;
    public static final long DEFAULT_LOOP_BUDGET_MILLIS = 200;
    public static final int DEFAULT_MAX_NESTING_DEPTH = 512;
    public static final long DEFAULT_LOOP_MEMORY_MB = 256;
    public static final long DEFAULT_SETUP_BUDGET_MILLIS = 60_000;
    public static final int DEFAULT_MAX_COROUTINES = 256;
    public static final int DEFAULT_MAX_PENDING_TIMERS = 100_000;
    public static final int DEFAULT_MAX_STAGES = 64;
    public static final long DEFAULT_MAX_RETAINED_MB = 512;

    /** The four per-event bounds as given, every other bound at its default. */
    public Limits(
            int maxEventBytes, long loopBudgetMillis, int maxNestingDepth, long loopMemoryBytes) {
        this(
                maxEventBytes,
                loopBudgetMillis,
                maxNestingDepth,
                loopMemoryBytes,
                DEFAULT_SETUP_BUDGET_MILLIS,
                DEFAULT_MAX_COROUTINES,
                DEFAULT_MAX_PENDING_TIMERS,
                DEFAULT_MAX_STAGES,
                DEFAULT_MAX_RETAINED_MB << 20);
    }

    public static Limits defaults() {
        return new Limits(
                DEFAULT_MAX_EVENT_BYTES,
                DEFAULT_LOOP_BUDGET_MILLIS,
                DEFAULT_MAX_NESTING_DEPTH,
                DEFAULT_LOOP_MEMORY_MB << 20);
    }
}
