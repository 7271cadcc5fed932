package org.dragonflymle.lua.budget;

import java.lang.management.ManagementFactory;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The bytes one call allocates, on its own thread and on the threads of its coroutines (each
 * coroutine runs on a thread of its own), read from the JVM's per-thread allocation counters. Not
 * thread-safe: the call's threads take turns (a coroutine runs while its resumer waits).
 */
final class CallAllocation {

    private static final com.sun.management.ThreadMXBean THREADS = allocationCounter();

    private boolean counting;
    private long armCounter;
    private Thread lastThread;
    private long lastCounter;
    private long allocated;
    private final Map<Thread, long[]> otherThreads = new IdentityHashMap<>();

    /** Whether this JVM counts allocation per thread; without it nothing is counted. */
    static boolean supported() {
        return THREADS != null;
    }

    /** Starts counting a call on this thread, or stops counting ({@code counting} false). */
    void arm(boolean counting) {
        this.counting = counting && THREADS != null;
        allocated = 0;
        otherThreads.clear();
        lastThread = Thread.currentThread();
        lastCounter = this.counting ? THREADS.getCurrentThreadAllocatedBytes() : 0;
        armCounter = lastCounter;
    }

    /** What this thread allocated since {@link #arm}, or 0 when not counting. */
    long onThisThreadSinceArm() {
        return counting ? THREADS.getCurrentThreadAllocatedBytes() - armCounter : 0;
    }

    /** Bytes a call nested in this one allocated on this thread: not this call's. */
    void credit(long bytes) {
        if (counting) {
            allocated -= bytes;
        }
    }

    /** Bytes allocated by the call so far, on every thread it ran on; only while counting. */
    long now() {
        Thread t = Thread.currentThread();
        long now = THREADS.getCurrentThreadAllocatedBytes();
        if (t != lastThread) {
            // a coroutine's thread, or back from one: account per thread
            otherThreads.computeIfAbsent(lastThread, k -> new long[1])[0] = lastCounter;
            long[] seen = otherThreads.get(t);
            lastCounter = seen == null ? now : seen[0];
            lastThread = t;
        }
        allocated += now - lastCounter;
        lastCounter = now;
        return allocated;
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
}
