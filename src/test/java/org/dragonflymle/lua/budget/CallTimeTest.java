package org.dragonflymle.lua.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a call is charged when it hands events on: the CPU a chained stage spends downstream is not
 * the call's, but the credit, which is the hand-on's wall time, is capped, or an endless loop that
 * emits into a blocked output would never spend its budget.
 */
class CallTimeTest {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final long MS = 1_000_000L;

    @BeforeEach
    void needsACpuClock() {
        assumeTrue(CallTime.CPU, "this JVM has no per-thread CPU clock: the budget is wall time");
    }

    /** Busy until this thread has used {@code nanos} more CPU time, however loaded the machine. */
    private static void burn(long nanos) {
        long end = THREADS.getCurrentThreadCpuTime() + nanos;
        while (THREADS.getCurrentThreadCpuTime() < end) {
            Thread.onSpinWait();
        }
    }

    /** One round of an emitting loop: 10 ms blocked downstream, then 2 ms of the script's CPU. */
    private static boolean emitAndWork(CallTime time) throws InterruptedException {
        time.pause(true, System.nanoTime());
        Thread.sleep(10);
        time.unpause(System.nanoTime());
        burn(2 * MS);
        return time.spent(System.nanoTime());
    }

    @Test
    void anEndlessLoopEmittingIntoABlockedOutputSpendsItsBudgetOnceTheCreditIsUsedUp()
            throws Exception {
        CallTime time = new CallTime(40 * MS);
        time.arm(50 * MS, System.nanoTime());
        int rounds = 0;
        boolean spent = false;
        while (!spent && rounds < 1_000) {
            spent = emitAndWork(time);
            rounds++;
        }
        // 2 ms of CPU a round against 50 ms of budget and 40 ms of credit: some 45 rounds
        assertThat(spent).as("spent after " + rounds + " rounds").isTrue();
        assertThat(rounds).isBetween(25, 50);
    }

    @Test
    void withoutTheCapTheSameLoopWouldRunForEver() throws Exception {
        CallTime time = new CallTime(Long.MAX_VALUE / 4);
        time.arm(50 * MS, System.nanoTime());
        for (int i = 0; i < 100; i++) {
            assertThat(emitAndWork(time)).as("round " + i).isFalse();
        }
    }

    /**
     * The credit is the hand-on's wall time, which is at least the CPU spent downstream: on a
     * loaded machine it is more (lenient, never an event dropped), and never more than that wall
     * time.
     */
    @Test
    void cpuSpentDownstreamIsNotTheCallers() {
        CallTime time = new CallTime();
        time.arm(50 * MS, System.nanoTime());
        long pauseStart = System.nanoTime();
        time.pause(true, pauseStart);
        burn(200 * MS); // a chained analyzer's own calls, each with its own budget
        long pauseEnd = System.nanoTime();
        time.unpause(pauseEnd);
        assertThat(time.spent(System.nanoTime())).isFalse();
        long cpu = 0;
        while (!time.spent(System.nanoTime()) && cpu < 5_000 * MS) {
            burn(5 * MS);
            cpu += 5 * MS;
        }
        assertThat(cpu).isBetween(45 * MS, 50 * MS + (pauseEnd - pauseStart) - 200 * MS + 10 * MS);
    }

    @Test
    void timeOffTheCpuIsNotChargedButACountedWaitIs() throws Exception {
        CallTime time = new CallTime();
        time.arm(50 * MS, System.nanoTime());
        Thread.sleep(120);
        assertThat(time.spent(System.nanoTime())).isFalse();
        time.waitBegins(System.nanoTime());
        Thread.sleep(60);
        time.waitEnds(System.nanoTime());
        assertThat(time.spent(System.nanoTime())).isTrue();
    }
}
