package org.dragonflymle.lua.budget;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaClosure;
import org.luaj.vm2.LuaFunction;
import org.luaj.vm2.LuaThread;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.DebugLib;
import org.luaj.vm2.lib.OneArgFunction;

/**
 * The time and allocation budget of one call into a script ({@code loop}, a timer, {@code setup}
 * with the top-level code, or a config.lua evaluation): everything the call does counts, on the
 * script's thread and on the threads of its coroutines. What time is charged, and why CPU time
 * rather than the wall clock, is {@link CallTime}'s.
 *
 * <p>Enforced from inside: installed as the {@code Globals}' debug library, LuaJ calls {@link
 * #onInstruction} for every instruction of every closure bound to those globals ({@link
 * HookedLoader} makes sure every chunk is); it reads the thread's allocation counter every 32
 * instructions and the clock every 1,024. Java code that can run long without Lua instructions
 * (pattern matching, waits on Redis and HTTP) calls {@link #poll()}; blocking waits also register a
 * way to be woken ({@link #waitBegins}).
 *
 * <p>Enforced from outside: a {@link CallWatchdog} flags a call that spent its budget ({@link
 * #expire}); the call's next instruction or poll then aborts, and a registered wait is woken.
 *
 * <p>The abort is an {@link Exceeded} {@link Error}: {@code pcall} cannot catch it. It is sticky:
 * once a call is past its budget every later check throws again, so a coroutine whose body was
 * aborted (LuaJ turns that into a failed {@code resume}) does not let the call go on.
 *
 * <p>One instance per script instance. The owning thread arms and disarms; the watchdog only reads
 * the published call state and sets the expiry flag.
 */
public final class CallBudget extends DebugLib {

    /** Thrown through the script when the budget is spent; the host turns it into an error. */
    public static final class Exceeded extends Error {
        public Exceeded(String message) {
            super(message, null, false, false);
        }
    }

    private static final VarHandle GENERATION;

    static {
        try {
            GENERATION =
                    MethodHandles.lookup()
                            .findVarHandle(CallBudget.class, "generation", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    // ---- call state, written by the script's thread ----
    /** Odd while a call runs; published with release semantics for the watchdog. */
    @SuppressWarnings("unused") // through GENERATION
    private long generation;

    private final CallTime time = new CallTime();
    private final CallAllocation allocation = new CallAllocation();
    private String what = "call";
    private long budgetMillis;
    private long budgetBytes;
    private boolean armed;
    private long instructions;
    private long instructionLimit;
    private String abortMessage;

    // ---- set by the watchdog ----
    private volatile long expiredGeneration = -1;
    private volatile Runnable wake;

    /**
     * Makes every closure bound to {@code globals} run under this budget (its debug hook). With a
     * debug library LuaJ appends a newline and a traceback to every error message raised on a
     * thread without an error function; the main thread gets one that leaves messages as they are
     * ({@code xpcall} sets its own), and so must every coroutine ({@link #keepMessages}).
     */
    public void install(Globals globals) {
        globals.debuglib = this;
        keepMessages(globals.running);
    }

    /** Error messages raised on {@code thread} stay as raised (see {@link #install}). */
    public static void keepMessages(LuaThread thread) {
        thread.errorfunc = MessageAsIs.INSTANCE;
    }

    private static final class MessageAsIs extends OneArgFunction {
        static final MessageAsIs INSTANCE = new MessageAsIs();

        @Override
        public LuaValue call(LuaValue message) {
            return message;
        }
    }

    /**
     * Starts a call: {@code millis} of charged time (0: unbounded) and {@code bytes} of allocation
     * (0: unbounded, also when the JVM cannot count allocation per thread).
     *
     * @param what how messages name the call: {@code loop}, {@code setup}, {@code config.lua}
     */
    public void arm(String what, long millis, long bytes) {
        this.what = what;
        this.budgetMillis = millis;
        this.budgetBytes = CallAllocation.supported() ? bytes : 0;
        instructions = 0;
        instructionLimit = 0;
        abortMessage = null;
        allocation.arm(budgetBytes > 0);
        time.arm(millis > 0 ? millis * 1_000_000L : 0, System.nanoTime());
        armed = millis > 0 || budgetBytes > 0;
        long g = (long) GENERATION.getOpaque(this);
        GENERATION.setRelease(this, (g | 1) == g ? g + 2 : g + 1);
    }

    /**
     * Also bounds the running call to {@code n} Lua instructions (counted on its own thread), a
     * bound that does not depend on the machine's speed; for config.lua.
     */
    public void limitInstructions(long n) {
        instructionLimit = n;
        armed = true;
    }

    /**
     * The script is closed for good: every later poll throws, so that a coroutine resumed to end it
     * runs none of the script's code.
     */
    public void close() {
        disarm();
        abortMessage = "the script is closed";
    }

    /** Ends the call. */
    public void disarm() {
        armed = false;
        wake = null;
        long g = (long) GENERATION.getOpaque(this);
        if ((g & 1) == 1) {
            GENERATION.setRelease(this, g + 1);
        }
    }

    /** Throws {@link Exceeded} when the running call is past its budget or was flagged. */
    public void poll() {
        if (abortMessage != null) {
            throw new Exceeded(abortMessage);
        }
        if (armed) {
            check(true);
        }
    }

    /**
     * As {@link #poll()}, for Java code that did the work of about {@code n} Lua instructions since
     * it last polled (the pattern matcher: one per step): an instruction bound holds there too.
     */
    public void poll(int n) {
        instructions += n;
        poll();
    }

    /**
     * The message of the abort, when the running call is past its budget: it may have ended without
     * noticing (the abort hit a coroutine, whose resume only failed, or Java code that never
     * polled), and is then failed all the same. Null otherwise.
     */
    public String abortMessage() {
        if (abortMessage == null && expiredGeneration == currentGeneration()) {
            abortMessage = timeMessage();
        }
        return abortMessage;
    }

    /**
     * A blocking wait of the running call starts; {@code waker} ends it from the watchdog's thread
     * (closes the socket waited on) when the call is flagged. Checks the budget first. The wait
     * counts against the budget.
     */
    public void waitBegins(Runnable waker) {
        waitBegins(waker, true);
    }

    /**
     * As {@link #waitBegins(Runnable)}; a wait that does not {@code count} stops the clock (a reply
     * of an ordinary Redis command: a slow Redis is not the script's doing), though never beyond
     * {@link CallTime#MAX_PAUSED_NANOS} in a call. End it with {@link #waitEnds(boolean)}.
     */
    public void waitBegins(Runnable waker, boolean counts) {
        poll();
        wake = waker;
        if (expiredGeneration == currentGeneration()) {
            wake = null;
            throw exceeded(timeMessage());
        }
        if (armed) {
            if (counts) {
                time.waitBegins(System.nanoTime());
            } else {
                time.pause(false, System.nanoTime());
            }
        }
    }

    /** The counted wait registered by {@link #waitBegins(Runnable)} is over; checks the budget. */
    public void waitEnds() {
        waitEnds(true);
    }

    /** The wait registered by {@link #waitBegins(Runnable, boolean)} is over; checks the budget. */
    public void waitEnds(boolean counted) {
        wake = null;
        if (armed) {
            if (counted) {
                time.waitEnds(System.nanoTime());
            } else {
                time.unpause(System.nanoTime());
            }
        }
        poll();
    }

    /**
     * The running call starts waiting for an unreachable Redis to come back: not charged until
     * {@link #outageWaitEnds} (the outage is not the script's doing, and its retry budget bounds
     * it). Throws instead when the call is already past its budget.
     */
    public void outageWaitBegins() {
        poll();
        if (armed) {
            time.pause(false, System.nanoTime());
        }
    }

    /** The outage wait is over. */
    public void outageWaitEnds() {
        if (armed) {
            time.unpause(System.nanoTime());
        }
    }

    /**
     * Stops the clock of the running call while the engine, not the script, works: an emitted event
     * handed on (where the next operator, chained on this thread, runs its own script, or the
     * output waits for buffer space). No bound applies meanwhile. Cheap: one clock read; nests.
     */
    public void pauseClock() {
        if (armed) {
            time.pause(true, System.nanoTime());
        }
    }

    /** Restarts the clock stopped by {@link #pauseClock}. */
    public void resumeClock() {
        if (armed) {
            time.unpause(System.nanoTime());
        }
    }

    /**
     * What this thread allocated since {@link #arm}, when allocation is budgeted (else 0): a host
     * running inside another's call (chained operators) credits it to the outer call.
     */
    public long allocatedOnThisThreadSinceArm() {
        return allocation.onThisThreadSinceArm();
    }

    /**
     * What the running call allocated on every thread it ran on (a call nested in it credited), or
     * -1 when its allocation is not counted. On the call's own thread, before {@link #disarm}.
     */
    public long allocatedByCall() {
        return budgetBytes > 0 ? allocation.now() : -1;
    }

    /** Bytes a call nested in this one allocated on this thread: not this call's. */
    public void creditAllocation(long bytes) {
        allocation.credit(bytes);
    }

    @Override
    public void onInstruction(int pc, Varargs v, int top) {
        if (armed && (++instructions & 0x1f) == 0) {
            check((instructions & 0x3ff) == 0);
        }
    }

    // The allocation counter costs about 11 ns and is read every 32 instructions, so that a loop
    // concatenating 64 MiB strings overshoots the budget by a few hundred MiB at most; the flag is
    // one load; the clock costs about 27 ns and is read every 1,024.
    private void check(boolean readClock) {
        if (abortMessage != null) {
            throw new Exceeded(abortMessage);
        }
        if (instructionLimit > 0 && instructions >= instructionLimit) {
            throw exceeded(
                    what + " did not finish within " + instructionLimit + " Lua instructions");
        }
        if (budgetBytes > 0 && allocation.now() > budgetBytes) {
            throw exceeded(
                    what + " allocated more than its budget of " + (budgetBytes >> 20) + " MiB");
        }
        if (expiredGeneration == currentGeneration()
                || (readClock && time.spent(System.nanoTime()))) {
            throw exceeded(timeMessage());
        }
    }

    private String timeMessage() {
        return what + " ran longer than its budget of " + budgetMillis + " ms";
    }

    private Exceeded exceeded(String message) {
        abortMessage = message;
        return new Exceeded(message);
    }

    /** What the running call is called in messages ({@code loop}, {@code setup}, …). */
    public String what() {
        return what;
    }

    // ---- for the watchdog ----

    long currentGeneration() {
        return (long) GENERATION.getOpaque(this);
    }

    /** The generation of the running call, odd; or an even number when none runs. */
    long observeGeneration() {
        return (long) GENERATION.getAcquire(this);
    }

    /** See {@link CallTime#watchdogDue}; call after {@link #observeGeneration} saw a call. */
    long watchdogDue(long now) {
        return time.watchdogDue(now);
    }

    long budgetMillis() {
        return budgetMillis;
    }

    /**
     * Flags call {@code generation} as past its budget and wakes the wait it is blocked in, if any.
     * Nothing happens when that call has ended already.
     */
    void expire(long generation) {
        if (observeGeneration() != generation) {
            return;
        }
        expiredGeneration = generation;
        Runnable w = wake;
        if (w != null && observeGeneration() == generation) {
            w.run();
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
