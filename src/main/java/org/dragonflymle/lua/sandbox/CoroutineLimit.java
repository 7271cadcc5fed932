package org.dragonflymle.lua.sandbox;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import org.dragonflymle.lua.budget.CallBudget;
import org.dragonflymle.lua.budget.RetainedMemory;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaThread;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.OneArgFunction;
import org.luaj.vm2.lib.VarArgFunction;

/**
 * {@code coroutine.create} and {@code coroutine.wrap} with a bound on the coroutines one script
 * instance keeps alive. LuaJ runs each coroutine on a Java thread of its own from its first resume
 * until it finishes or is garbage-collected: 100,000 kept coroutines were 100,000 threads and
 * killed the TaskManager ("unable to create native thread"). A coroutine counts from its creation
 * until it is dead or collected; one more than the limit is a Lua error naming the script and the
 * limit, which costs that event, not the TaskManager.
 *
 * <p>A call past its budget is aborted in a coroutine too, but LuaJ turns that into a failed {@code
 * resume}: every resume therefore asks the budget on the resuming side as well, so the abort
 * reaches the call. The time a resume waits for the coroutine is charged as a wait the script asked
 * for (the coroutine runs on another thread, whose CPU time the resuming thread's clock does not
 * see).
 *
 * <p>Each body is also wrapped to make the script's string metatable current on the coroutine's
 * thread, where no host has set it ({@link StringMetatable}).
 */
final class CoroutineLimit {

    private final String scriptName;
    private final int limit;
    private final LuaTable stringMetatable;
    private final LuaValue create;
    private final LuaValue resume;
    private final LuaValue yield;
    private final CallBudget budget;
    private final List<WeakReference<LuaThread>> live = new ArrayList<>();

    /**
     * @param limit live coroutines allowed; 0 for no bound
     */
    CoroutineLimit(
            String scriptName,
            int limit,
            LuaValue coroutineTable,
            LuaTable stringMetatable,
            CallBudget budget) {
        this.scriptName = scriptName;
        this.limit = limit;
        this.stringMetatable = stringMetatable;
        this.budget = budget;
        this.create = coroutineTable.get("create");
        this.resume = coroutineTable.get("resume");
        this.yield = coroutineTable.get("yield");
        coroutineTable.set("create", new Create());
        coroutineTable.set("wrap", new Wrap());
        coroutineTable.set("resume", new Resume());
        coroutineTable.set("yield", new Yield());
    }

    /**
     * Ends every suspended coroutine: resumed once more, it wakes in {@link Yield}, whose poll of
     * the closed budget throws before any of the script's code runs; its thread then ends.
     */
    void endAll() {
        for (WeakReference<LuaThread> r : List.copyOf(live)) {
            LuaThread t = r.get();
            if (t != null && t.state.status == LuaThread.STATUS_SUSPENDED) {
                t.resume(LuaValue.NONE);
            }
        }
        live.clear();
    }

    /** How many coroutines count against the limit now (after forgetting the dead ones). */
    int live() {
        prune();
        return live.size();
    }

    private LuaThread newCoroutine(LuaValue body) {
        LuaValue f = body.checkfunction();
        if (limit > 0 && live.size() >= limit && prune() >= limit) {
            throw new LuaError(
                    scriptName
                            + " keeps "
                            + limit
                            + " live coroutines, its limit (limits.max_coroutines): each one is a"
                            + " thread until it finishes or is no longer referenced");
        }
        LuaThread thread = (LuaThread) create.call(new Body(f));
        CallBudget.keepMessages(thread);
        live.add(new WeakReference<>(thread));
        return thread;
    }

    private int prune() {
        live.removeIf(
                r -> {
                    LuaThread t = r.get();
                    return t == null || t.state.status == LuaThread.STATUS_DEAD;
                });
        return live.size();
    }

    /**
     * A coroutine's body as LuaJ runs it: the script's string metatable made current on the
     * coroutine's thread, and the budget polled before the thread hands back (as at every {@link
     * Yield}), so that what the body allocated there is counted while the call runs.
     */
    private final class Body extends VarArgFunction implements RetainedMemory.Holder {
        private final LuaValue f;

        Body(LuaValue f) {
            this.f = f;
        }

        @Override
        public Varargs invoke(Varargs args) {
            StringMetatable.enter(StringMetatable.slot(), stringMetatable);
            Varargs result = f.invoke(args);
            budget.poll();
            return result;
        }

        @Override
        public LuaValue held() {
            return f;
        }
    }

    /**
     * {@code coroutine.yield}: polls the budget before handing back (what the coroutine allocated
     * on its thread is counted) and once resumed (a closed script's coroutine ends there).
     */
    private final class Yield extends VarArgFunction {
        @Override
        public Varargs invoke(Varargs args) {
            budget.poll();
            Varargs resumedWith = yield.invoke(args);
            budget.poll();
            return resumedWith;
        }
    }

    private final class Create extends OneArgFunction {
        @Override
        public LuaValue call(LuaValue body) {
            return newCoroutine(body);
        }
    }

    private final class Resume extends VarArgFunction {
        @Override
        public Varargs invoke(Varargs args) {
            budget.waitBegins(null);
            try {
                return resume.invoke(args);
            } finally {
                budget.waitEnds();
            }
        }
    }

    private final class Wrap extends OneArgFunction {
        @Override
        public LuaValue call(LuaValue body) {
            return new Wrapped(newCoroutine(body));
        }
    }

    private final class Wrapped extends VarArgFunction implements RetainedMemory.Holder {
        private final LuaThread thread;

        Wrapped(LuaThread thread) {
            this.thread = thread;
        }

        @Override
        public Varargs invoke(Varargs args) {
            budget.waitBegins(null);
            Varargs result;
            try {
                result = thread.resume(args);
            } finally {
                budget.waitEnds();
            }
            if (result.arg1().toboolean()) {
                return result.subargs(2);
            }
            throw new LuaError(result.arg(2).tojstring());
        }

        @Override
        public LuaValue held() {
            return thread;
        }
    }
}
