package org.dragonflymle.lua.budget;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * The time one call into a script is charged: the CPU time of the script's thread while it runs the
 * script, plus the wall time of the waits the script asked for (a blocking Redis command, a Redis
 * script, an HTTP download, a coroutine it resumed). Not charged: time the thread was not running
 * (another process had the core, a garbage collection stopped the JVM), time the engine spent
 * handing an emitted event on (a chained stage runs its own script then), and ordinary Redis
 * replies and outages (bounded by {@link #MAX_PAUSED_NANOS} on top of the budget instead).
 *
 * <p>Why CPU time: a wall-clock budget failed ordinary events whenever the machine was busy (a 200
 * ms budget fired on a 1 ms event at a load average of 20 on two cores) or the JVM paused for a
 * collection; the engine shares its machine with Suricata. The script cannot make its own CPU time
 * pass slower, so nothing is given away.
 *
 * <p>Cheap on the hot path: reading a thread's CPU clock is a system call (about 0.6 µs on the
 * project's machine), so a call does not read it at its start when the last reading is less than
 * {@value #FRESH_NANOS} ns old (then the CPU the thread used in between, at most that much, is
 * charged to this call too), and reads it again only when the wall clock says the budget could be
 * spent ({@link #deadline}: the call cannot have been charged more than the wall time that passed).
 * A short call reads the wall clock once, at {@link #arm}.
 *
 * <p>Without a CPU clock in the JVM, the charged time is the wall time outside the pauses.
 *
 * <p>Written by the thread that runs the call (and its coroutines' threads, which run only while it
 * waits for them); the watchdog reads the published fields through {@link #version}, which is odd
 * while the call is paused and changes with every pause and counted wait.
 */
final class CallTime {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    static final boolean CPU = cpuClock();

    /** A CPU reading younger than this stands for the start of the next call. */
    static final long FRESH_NANOS = 1_000_000;

    /** How long a call's pauses other than handing on may last in all, on top of its budget. */
    static final long MAX_PAUSED_NANOS = 30_000_000_000L;

    private static final VarHandle VERSION;

    static {
        try {
            VERSION = MethodHandles.lookup().findVarHandle(CallTime.class, "version", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * How much wall time of handing events on one call is credited against its CPU time, in all.
     * The credit is the wall time of the hand-on, which is more than the CPU time spent downstream
     * when the thread waits there (an output under backpressure): without a cap, a script that
     * emits in an endless loop into a blocked output would earn credit faster than it spends CPU.
     */
    private final long maxHandOnCreditNanos;

    private Thread owner;
    private long budgetNanos;

    private Thread cpuThread;
    private long cpuBase;
    private long cpuReadAt;

    /** Wall time of finished hand-on pauses on the owner's thread: CPU that was not the call's. */
    private long handOnNanos;

    /** Wall time of finished stretches of counted waits. */
    private long waitedNanos;

    private int countedDepth;
    private int pauseDepth;
    private boolean pauseIsHandOn;
    private boolean pauseSubtractsCpu;
    private long pausedSince;

    /** Start of the open stretch of counted waiting, when one is open (else -1). */
    private long segmentStart = -1;

    /** Before this (nanoTime) the budget cannot be spent; verified against the CPU clock after. */
    private volatile long deadline;

    /** The wall-clock bound of the call: budget, plus pauses that are not handing on, at most. */
    private volatile long hardDeadline;

    @SuppressWarnings("unused") // through VERSION
    private long version;

    CallTime() {
        this(MAX_PAUSED_NANOS);
    }

    /** With another cap on the hand-on credit (tests). */
    CallTime(long maxHandOnCreditNanos) {
        this.maxHandOnCreditNanos = maxHandOnCreditNanos;
    }

    /** Starts a call of {@code budgetNanos} (0: unbounded) on the current thread. */
    void arm(long budgetNanos, long now) {
        this.budgetNanos = budgetNanos;
        owner = Thread.currentThread();
        handOnNanos = 0;
        waitedNanos = 0;
        countedDepth = 0;
        pauseDepth = 0;
        segmentStart = -1;
        if (budgetNanos > 0) {
            if (CPU && (cpuThread != owner || now - cpuReadAt > FRESH_NANOS)) {
                cpuBase = THREADS.getCurrentThreadCpuTime();
                cpuReadAt = now;
                cpuThread = owner;
            }
            deadline = now + budgetNanos;
            hardDeadline = now + budgetNanos + MAX_PAUSED_NANOS;
        } else {
            deadline = Long.MAX_VALUE;
            hardDeadline = Long.MAX_VALUE;
        }
        bump(0);
    }

    /**
     * Whether the call has used its budget by {@code now}: past its wall-clock bound, or charged
     * its budget. Reads the CPU clock only once the wall clock allows that it could be spent.
     */
    boolean spent(long now) {
        if (now - deadline < 0) {
            return now - hardDeadline >= 0 && !(pauseDepth > 0 && pauseIsHandOn);
        }
        if (budgetNanos == 0) {
            return false;
        }
        if (!CPU || now - hardDeadline >= 0) {
            return true;
        }
        long charged = charged(now, cpuOfOwner());
        if (charged >= budgetNanos) {
            return true;
        }
        deadline = now + (budgetNanos - charged);
        return false;
    }

    private long cpuOfOwner() {
        Thread t = owner;
        return t == Thread.currentThread()
                ? THREADS.getCurrentThreadCpuTime()
                : THREADS.getThreadCpuTime(t.getId());
    }

    private long charged(long now, long cpu) {
        long c = cpu - cpuBase - handOnNanos + waitedNanos;
        if (segmentStart >= 0) {
            c += now - segmentStart;
        }
        if (pauseDepth > 0 && pauseSubtractsCpu) {
            c -= Math.min(now - pausedSince, maxHandOnCreditNanos - handOnNanos);
        }
        return c;
    }

    /**
     * The engine's own work or an uncounted wait begins: the charged time stops. {@code handOn}: an
     * emitted event is handed on (no wall-clock bound applies to that, the next stage has its own
     * budget); else a Redis reply or outage wait.
     */
    void pause(boolean handOn, long now) {
        if (pauseDepth++ > 0) {
            return;
        }
        closeSegment(now);
        pausedSince = now;
        pauseIsHandOn = handOn;
        pauseSubtractsCpu = handOn && CPU && Thread.currentThread() == owner;
        bump(1);
    }

    /** The pause {@link #pause} began is over; the bounds move by its length. */
    void unpause(long now) {
        if (pauseDepth == 0 || --pauseDepth > 0) {
            return;
        }
        long d = now - pausedSince;
        long credit = d;
        if (pauseSubtractsCpu) {
            credit = Math.min(d, maxHandOnCreditNanos - handOnNanos);
            handOnNanos += credit;
        }
        if (deadline != Long.MAX_VALUE) {
            // the soft deadline stays a bound the charged time cannot reach before
            deadline += credit;
            if (pauseIsHandOn) {
                hardDeadline += d;
            }
        }
        if (countedDepth > 0) {
            segmentStart = now;
        }
        bump(0);
    }

    /** A wait the script asked for begins: charged by the wall clock until {@link #waitEnds}. */
    void waitBegins(long now) {
        if (countedDepth++ > 0) {
            return;
        }
        if (pauseDepth == 0) {
            segmentStart = now;
        }
        bump(0);
    }

    /** The counted wait is over. */
    void waitEnds(long now) {
        if (countedDepth == 0 || --countedDepth > 0) {
            return;
        }
        closeSegment(now);
        bump(0);
    }

    private void closeSegment(long now) {
        if (segmentStart >= 0) {
            waitedNanos += now - segmentStart;
            segmentStart = -1;
        }
    }

    /** A new version, odd while paused; release: the watchdog reads the fields after it. */
    private void bump(int paused) {
        long v = (long) VERSION.getOpaque(this);
        long next = v + 1;
        if ((next & 1) != paused) {
            next++;
        }
        VERSION.setRelease(this, next);
    }

    // ---- for the watchdog's thread ----

    /**
     * When the watchdog should flag the call, seen from its own thread at {@code now}: {@code
     * Long.MAX_VALUE} while an event is handed on, {@code now} or earlier when the call has spent
     * its budget, else when to look again. A call past its wall-clock {@link #deadline}, running or
     * in a counted wait, is verified against its thread's CPU clock; a view torn by a concurrent
     * change looks again shortly. Plain fields are read between two acquiring reads of {@link
     * #version}: every change to them is followed by a release store of a new version.
     */
    long watchdogDue(long now) {
        long v = (long) VERSION.getAcquire(this);
        long hard = hardDeadline;
        if ((v & 1) == 1) {
            return pauseIsHandOn ? Long.MAX_VALUE : hard;
        }
        long soft = deadline;
        if (now - soft < 0 || now - hard >= 0 || !CPU) {
            return Math.min(hard, soft);
        }
        long cpu = THREADS.getThreadCpuTime(owner.getId());
        long seg = segmentStart;
        long charged = cpu - cpuBase - handOnNanos + waitedNanos + (seg >= 0 ? now - seg : 0);
        if ((long) VERSION.getAcquire(this) != v) {
            return now + 1_000_000; // changed meanwhile: look again
        }
        return charged >= budgetNanos ? now : now + (budgetNanos - charged);
    }

    private static boolean cpuClock() {
        try {
            if (THREADS.isCurrentThreadCpuTimeSupported() && THREADS.isThreadCpuTimeSupported()) {
                if (!THREADS.isThreadCpuTimeEnabled()) {
                    THREADS.setThreadCpuTimeEnabled(true);
                }
                return THREADS.getCurrentThreadCpuTime() >= 0;
            }
        } catch (UnsupportedOperationException | SecurityException e) {
            // the wall clock then
        }
        return false;
    }
}
