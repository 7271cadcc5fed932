package org.dragonflymle.config;

import java.io.Serializable;

/**
 * Per-event bounds from config.lua's {@code limits} table.
 *
 * @param maxEventBytes an input line longer than this is rejected to the error output
 * @param loopBudgetMillis a {@code loop} call running longer is aborted as a script error
 * @param maxNestingDepth JSON deeper than this is rejected (never a StackOverflowError)
 * @param loopMemoryBytes a {@code loop} call allocating more is aborted as a script error
 */
public record Limits(
        int maxEventBytes, long loopBudgetMillis, int maxNestingDepth, long loopMemoryBytes)
        implements Serializable {

    public static final int DEFAULT_MAX_EVENT_BYTES = 1 << 20;
    public static final long DEFAULT_LOOP_BUDGET_MILLIS = 200;
    public static final int DEFAULT_MAX_NESTING_DEPTH = 512;
    public static final long DEFAULT_LOOP_MEMORY_MB = 256;

    public static Limits defaults() {
        return new Limits(
                DEFAULT_MAX_EVENT_BYTES,
                DEFAULT_LOOP_BUDGET_MILLIS,
                DEFAULT_MAX_NESTING_DEPTH,
                DEFAULT_LOOP_MEMORY_MB << 20);
    }
}
