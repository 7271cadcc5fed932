package org.dragonflymle.lua;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.dragonflymle.lua.api.ScriptContext;
import org.dragonflymle.lua.budget.CallBudget;
import org.dragonflymle.lua.budget.CallWatchdog;
import org.dragonflymle.lua.budget.RetainedMemory;
import org.dragonflymle.lua.compat.LuaErrorMessages;
import org.dragonflymle.lua.lib.BitLib;
import org.dragonflymle.lua.lib.MarshalLib;
import org.dragonflymle.lua.sandbox.ScriptExit;
import org.dragonflymle.lua.sandbox.ScriptSandbox;
import org.dragonflymle.lua.sandbox.StringMetatable;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaClosure;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Prototype;
import org.luaj.vm2.compiler.LuaC;

/**
 * One running instance of one script: its own sandboxed Lua state and the script's life cycle
 * (docs/lua-api.md). Create it in the operator's {@code open()}, call {@link #start()} once, then
 * {@link #loop} for every event and timer, and {@link #close()} at the end.
 *
 * <p>Libraries are loaded in this order: the sandboxed standard libraries and the Lua 5.1
 * compatibility layer ({@link ScriptSandbox}), {@code bit} and {@code marshal}, then {@code
 * modules} in list order ({@code dragonfly}, {@code cjson}, {@code hiredis}, …), each a LuaJ
 * library function called with the globals, so it can set its global and {@code package.loaded}.
 *
 * <p>Not thread-safe: one host belongs to one task thread. Hosts on different threads, and hosts
 * nested on one thread (chained operators), are isolated from each other, including their string
 * metatables ({@link StringMetatable}).
 */
public final class ScriptHost implements AutoCloseable {

    private static final LuaString SETUP = LuaString.valueOf("setup");
    private static final LuaString LOOP = LuaString.valueOf("loop");

    private final ScriptContext ctx;
    private final ScriptSandbox sandbox;
    private final Globals globals;
    private final LuaTable stringMetatable;
    private final CallBudget budget;
    private LuaValue loopFunction;
    private long loopMillis;
    private long loopBytes;
    private long setupMillis = DEFAULT_SETUP_BUDGET_MILLIS;
    private CallWatchdog watchdog;
    private RetainedMemory retained = new RetainedMemory(0);
    private long lastCallAllocated;
    private boolean closed;

    /** How long the top-level code and {@code setup()} together may run unless told otherwise. */
    public static final long DEFAULT_SETUP_BUDGET_MILLIS = 60_000;

    public ScriptHost(ScriptContext ctx, List<LuaValue> modules) {
        this(ctx, modules, ScriptSandbox.DEFAULT_MAX_COROUTINES);
    }

    /**
     * @param maxCoroutines live coroutines the script may keep (0: unbounded)
     */
    public ScriptHost(ScriptContext ctx, List<LuaValue> modules, int maxCoroutines) {
        this.ctx = ctx;
        this.sandbox = new ScriptSandbox(ctx, maxCoroutines);
        this.budget = sandbox.budget();
        this.globals = sandbox.globals();
        this.stringMetatable = sandbox.stringMetatable();
        StringMetatable.Slot slot = StringMetatable.slot();
        LuaTable previous = StringMetatable.enter(slot, stringMetatable);
        try {
            globals.load(new BitLib());
            globals.load(new MarshalLib());
            for (LuaValue module : modules) {
                globals.load(module);
            }
        } finally {
            StringMetatable.exit(slot, previous);
        }
    }

    /** Bounds every later {@code loop} call to {@code millis} of wall time (0: unbounded). */
    public void setLoopBudget(long millis) {
        setLoopBudget(millis, 0);
    }

    /**
     * Bounds every later {@code loop} call (events and timers) to {@code millis} of wall time and
     * {@code bytes} of allocation (0: unbounded).
     */
    public void setLoopBudget(long millis, long bytes) {
        this.loopMillis = millis;
        this.loopBytes = bytes;
    }

    /**
     * Bounds the top-level code and {@code setup()} together to {@code millis} of wall time (0:
     * unbounded; default {@value #DEFAULT_SETUP_BUDGET_MILLIS}). Set it before {@link #start()}.
     */
    public void setSetupBudget(long millis) {
        this.setupMillis = millis;
    }

    /**
     * Bounds what the script keeps across calls to about {@code bytes} (0: unbounded), measured
     * after {@code setup()} and then from time to time after a call ({@link RetainedMemory}); past
     * it, {@link #start()} fails and {@link #loop} throws {@link RetainedMemoryExceeded}.
     */
    public void setRetainedLimit(long bytes) {
        this.retained = new RetainedMemory(bytes);
    }

    /** What the script kept at the last measurement, in bytes (0 before the first). */
    public long retainedBytes() {
        return retained.lastMeasured();
    }

    /**
     * Watches every later call from a thread of its own ({@link CallWatchdog}): a call past its
     * budget is stopped even while it waits or runs Java code; one that does not stop within {@code
     * grace} is reported to {@code onStuck} with a message naming the script. Ends with {@link
     * #close()}.
     */
    public void startWatchdog(Duration grace, Consumer<String> onStuck) {
        if (watchdog == null) {
            watchdog =
                    new CallWatchdog(
                                    budget,
                                    "dragonfly-watchdog " + ctx.tag() + " " + ctx.scriptName(),
                                    grace,
                                    m -> onStuck.accept(ctx.scriptName() + ": " + m))
                            .start();
        }
    }

    /**
     * Stops the running call's clock while the engine, not the script, works: an emitted event
     * handed on (a chained operator runs its own script inside this call; an output may wait for
     * buffers). Cheap; a no-op between calls.
     */
    public void pauseClock() {
        budget.pauseClock();
    }

    /** Restarts the clock {@link #pauseClock} stopped; the deadline moves by the pause. */
    public void resumeClock() {
        budget.resumeClock();
    }

    /** The budget of every call into the script, for the modules that wait or build. */
    public CallBudget budget() {
        return budget;
    }

    /** Coroutines of the script that count against its limit now. */
    public int liveCoroutines() {
        return sandbox.liveCoroutines();
    }

    /** The script's globals, for the operator to build values with. Same thread only. */
    public Globals globals() {
        return globals;
    }

    public ScriptContext context() {
        return ctx;
    }

    /**
     * Runs the script's top-level code, sets the configured globals, calls {@code setup()} if the
     * script defines it, and then takes {@code io} away.
     *
     * @throws ScriptSetupException when the script does not compile, raises an error or calls
     *     {@code os.exit} in its top level or setup, or defines no {@code loop}
     */
    public void start() throws ScriptSetupException {
        if (loopFunction != null || closed) {
            throw new IllegalStateException(ctx.scriptName() + " was already started");
        }
        StringMetatable.Slot slot = StringMetatable.slot();
        LuaTable previous = StringMetatable.enter(slot, stringMetatable);
        String phase = "while loading";
        budget.arm("setup", setupMillis, 0);
        try {
            LuaValue chunk = compile();
            chunk.call();
            checkExit();
            for (Map.Entry<String, String> g : ctx.globals().entrySet()) {
                globals.set(g.getKey(), g.getValue());
            }
            phase = "during setup";
            LuaValue setup = globals.get(SETUP);
            if (!setup.isnil()) {
                setup.call();
            }
            checkExit();
            LuaValue loop = globals.get(LOOP);
            if (!loop.isfunction()) {
                throw new ScriptSetupException(
                        ctx.scriptName() + " does not define a loop(msg) function");
            }
            if (budget.abortMessage() != null) {
                throw new CallBudget.Exceeded(budget.abortMessage());
            }
            sandbox.closeIo();
            if (retained.limitBytes() > 0) {
                checkRetained("after setup");
            }
            loopFunction = loop;
        } catch (ScriptExit e) {
            sandbox.state().takeExit();
            throw new ScriptSetupException(exitMessage(e, phase), e);
        } catch (LuaError e) {
            sandbox.state().takeExit();
            if (budget.abortMessage() != null) {
                throw setupBudgetSpent(budget.abortMessage(), e);
            }
            throw new ScriptSetupException(message(e), e);
        } catch (CallBudget.Exceeded e) {
            throw setupBudgetSpent(e.getMessage(), e);
        } catch (RetainedMemoryExceeded e) {
            throw new ScriptSetupException(e.getMessage(), e);
        } catch (StackOverflowError e) {
            throw new ScriptSetupException(ctx.scriptName() + ": stack overflow " + phase, e);
        } catch (OutOfMemoryError e) {
            throw new ScriptSetupException(ctx.scriptName() + ": ran out of memory " + phase, e);
        } catch (RuntimeException e) {
            throw new ScriptSetupException(ctx.scriptName() + ": " + e + " " + phase, e);
        } finally {
            budget.disarm();
            StringMetatable.exit(slot, previous);
        }
    }

    /**
     * Calls the script's {@code loop(msg)} – for an event or a due timer. Allocates nothing beyond
     * what LuaJ needs for the call.
     *
     * @throws ScriptException when the call fails for any reason; the host stays usable
     */
    public void loop(LuaValue msg) throws ScriptException {
        try {
            call(msg);
        } finally {
            if (retained.due(lastCallAllocated)) {
                checkRetained("after a call");
            }
        }
    }

    /** Measures what the script keeps; throws when it is more than the limit. */
    private void checkRetained(String when) {
        long bytes = retained.measure(globals, stringMetatable);
        if (bytes > retained.limitBytes()) {
            throw new RetainedMemoryExceeded(
                    ctx.scriptName()
                            + ": keeps more than "
                            + (bytes >> 20)
                            + " MiB across calls ("
                            + when
                            + "), more than limits.max_retained_mb = "
                            + (retained.limitBytes() >> 20));
        }
    }

    private void call(LuaValue msg) throws ScriptException {
        LuaValue loop = loopFunction;
        if (loop == null) {
            throw new IllegalStateException(ctx.scriptName() + " is not started or closed");
        }
        StringMetatable.Slot slot = StringMetatable.slot();
        LuaTable previous = StringMetatable.enter(slot, stringMetatable);
        CallBudget outer = slot.enterBudget(budget);
        budget.arm("loop", loopMillis, loopBytes);
        try {
            loop.call(msg);
            String aborted = budget.abortMessage();
            if (aborted != null) {
                throw new ScriptException(
                        ctx.scriptName(), ctx.scriptName() + ": " + aborted, null);
            }
        } catch (CallBudget.Exceeded e) {
            throw new ScriptException(
                    ctx.scriptName(), ctx.scriptName() + ": " + e.getMessage(), e);
        } catch (ScriptExit e) {
            sandbox.state().takeExit();
            throw new ScriptException(ctx.scriptName(), exitMessage(e, "in loop"), e);
        } catch (LuaError e) {
            sandbox.state().takeExit();
            String aborted = budget.abortMessage();
            if (aborted != null) {
                // the abort came back from a coroutine as a Lua error
                throw new ScriptException(ctx.scriptName(), ctx.scriptName() + ": " + aborted, e);
            }
            throw new ScriptException(ctx.scriptName(), message(e), e);
        } catch (StackOverflowError e) {
            throw new ScriptException(ctx.scriptName(), ctx.scriptName() + ": stack overflow", e);
        } catch (OutOfMemoryError e) {
            // Whatever the call built is unreachable once this frame is gone; the next event
            // finds the heap as it was. Only this call's own allocation can have filled it: the
            // allocation budget stops gradual growth long before.
            throw new ScriptException(
                    ctx.scriptName(), ctx.scriptName() + ": loop ran out of memory", e);
        } catch (RuntimeException e) {
            throw new ScriptException(ctx.scriptName(), ctx.scriptName() + ": " + e, e);
        } finally {
            lastCallAllocated = budget.allocatedByCall();
            if (outer != null) {
                // chained: this call ran inside the outer one's, whose clock was stopped
                outer.creditAllocation(budget.allocatedOnThisThreadSinceArm());
            }
            budget.disarm();
            slot.exitBudget(outer);
            StringMetatable.exit(slot, previous);
        }
        ScriptExit pending = sandbox.state().takeExit();
        if (pending != null) {
            throw new ScriptException(ctx.scriptName(), exitMessage(pending, "in loop"), pending);
        }
    }

    /** Drops the script's state; a closed host refuses further calls. */
    @Override
    public void close() {
        closed = true;
        loopFunction = null;
        if (watchdog != null) {
            watchdog.close();
        }
        sandbox.close();
    }

    private LuaValue compile() throws ScriptSetupException {
        try (InputStream in = Files.newInputStream(ctx.script())) {
            Prototype p = LuaC.instance.compile(in, "@" + ctx.scriptName());
            return new LuaClosure(p, globals);
        } catch (IOException e) {
            throw new ScriptSetupException(
                    ctx.scriptName() + ": cannot read " + ctx.script() + ": " + e.getMessage(), e);
        }
    }

    private ScriptSetupException setupBudgetSpent(String message, Throwable cause) {
        return new ScriptSetupException(
                ctx.scriptName()
                        + ": "
                        + message
                        + " (top-level code and setup(); limits.setup_budget_ms)",
                cause);
    }

    private void checkExit() {
        ScriptExit pending = sandbox.state().takeExit();
        if (pending != null) {
            throw pending;
        }
    }

    private String exitMessage(ScriptExit e, String phase) {
        return ctx.scriptName() + " called os.exit(" + e.code() + ") " + phase;
    }

    /** The Lua message with its position in Lua's form, always naming the script. */
    private String message(LuaError e) {
        // a debug hook makes LuaJ append a (here empty) traceback after a newline
        String m = LuaErrorMessages.normalize(e.getMessage()).strip();
        return m.startsWith(ctx.scriptName()) ? m : ctx.scriptName() + ": " + m;
    }
}
