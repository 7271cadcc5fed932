package org.dragonflymle.lua.sandbox;

import org.dragonflymle.lua.api.ScriptContext;
import org.dragonflymle.lua.budget.CallBudget;
import org.dragonflymle.lua.budget.HookedLoader;
import org.dragonflymle.lua.compat.Lua51CompatLib;
import org.dragonflymle.lua.compat.MatchStepHook;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.compiler.LuaC;
import org.luaj.vm2.lib.CoroutineLib;
import org.luaj.vm2.lib.PackageLib;
import org.luaj.vm2.lib.StringLib;
import org.luaj.vm2.lib.TableLib;
import org.luaj.vm2.lib.jse.JseMathLib;

/**
 * The Lua state of one script: a fresh {@link Globals} with only what docs/lua-api.md lets scripts
 * use. Loaded in this order: base (confined {@code dofile}/{@code loadfile}), package ({@code
 * require} from ROOT only), coroutine, table, string, math, io (confined, setup only), os
 * (restricted), then the Lua 5.1 compatibility layer. Never loaded: luajava, debug, bit32 and any
 * Java or C module loader.
 *
 * <p>Chunks compile from text only: {@code load}/{@code loadstring} of source works, a precompiled
 * (binary) chunk is refused, since LuaJ does not verify bytecode.
 *
 * <p>Coroutines are kept because LuaJIT scripts may use them, at a cost: LuaJ runs each coroutine
 * on its own Java thread (created on first resume, ended when the coroutine finishes or is
 * collected). Fine for an iterator in setup, expensive when created per event; how many may live at
 * once is bounded ({@link CoroutineLimit}).
 *
 * <p>Every call into the script is budgeted by one {@link CallBudget}, installed as the globals'
 * debug hook; every chunk the script loads runs under it ({@link HookedLoader}), and the pattern
 * matcher polls it while it backtracks ({@link org.dragonflymle.lua.compat.MatchStepHook}).
 */
public final class ScriptSandbox {

    /** Relative to ROOT: {@code require 'analyzer/utils'} loads ROOT/analyzer/utils.lua. */
    public static final String PACKAGE_PATH = "?.lua;?/init.lua";

    private final Globals globals = new Globals();
    private final SandboxState state = new SandboxState();
    private final ScriptPaths paths;
    private final LuaTable stringMetatable;
    private final CallBudget budget = new CallBudget();
    private final CoroutineLimit coroutines;

    /** With the default bound on live coroutines. */
    public ScriptSandbox(ScriptContext ctx) {
        this(ctx, DEFAULT_MAX_COROUTINES);
    }

    /** How many coroutines one script instance may keep alive unless told otherwise. */
    public static final int DEFAULT_MAX_COROUTINES = 256;

    /**
     * @param maxCoroutines live coroutines the script may keep (0: unbounded)
     */
    public ScriptSandbox(ScriptContext ctx, int maxCoroutines) {
        StringMetatable.install();
        paths = new ScriptPaths(ctx);
        globals.load(new SandboxBaseLib(paths));
        globals.load(new PackageLib());
        globals.load(new CoroutineLib());
        globals.load(new TableLib());
        globals.load(new StringLib());
        globals.load(new JseMathLib());
        globals.load(new SandboxIoLib(paths, state));
        globals.load(new SandboxOsLib(state));
        globals.compiler = LuaC.instance;
        globals.loader = new HookedLoader(globals);
        budget.install(globals);
        globals.undumper = TextOnly.INSTANCE;
        confinePackage();
        // a pattern that backtracks runs no Lua instruction: the matcher polls the budget itself
        globals.load(new Lua51CompatLib(() -> budget.poll(MatchStepHook.INTERVAL)));
        stringMetatable = StringMetatable.newMetatable(globals.get("string"));
        coroutines =
                new CoroutineLimit(
                        ctx.scriptName(),
                        maxCoroutines,
                        globals.get("coroutine"),
                        stringMetatable,
                        budget);
    }

    /** The budget of every call into this script (the globals' debug hook). */
    public CallBudget budget() {
        return budget;
    }

    /** Coroutines that count against the limit now. */
    public int liveCoroutines() {
        return coroutines.live();
    }

    public Globals globals() {
        return globals;
    }

    public SandboxState state() {
        return state;
    }

    public ScriptPaths paths() {
        return paths;
    }

    /** This script's own string metatable; the host makes it current while the script runs. */
    public LuaTable stringMetatable() {
        return stringMetatable;
    }

    /**
     * Ends the script for good, and the threads of its suspended coroutines with it: a coroutine
     * the script keeps in its globals is reachable from its own thread's stack, so LuaJ would never
     * find it orphaned, and every job run would leave its threads behind.
     */
    public void close() {
        budget.close();
        coroutines.endAll();
    }

    /** Ends the io phase: {@code io} disappears from the globals and its functions fail. */
    public void closeIo() {
        state.closeIo();
        globals.set("io", LuaValue.NIL);
        globals.get("package").get("loaded").set("io", LuaValue.NIL);
    }

    private void confinePackage() {
        LuaValue pkg = globals.get("package");
        pkg.set("path", PACKAGE_PATH);
        pkg.set("loadlib", LuaValue.NIL);
        LuaValue searchers = pkg.get("searchers");
        LuaTable onlyLua = new LuaTable();
        onlyLua.set(1, searchers.get(1));
        onlyLua.set(2, searchers.get(2));
        pkg.set("searchers", onlyLua);
        // Lua 5.1 calls the list package.loaders
        pkg.set("loaders", onlyLua);
    }

    /** The error function of the main thread: the message unchanged. */
    /** Refuses precompiled chunks; lets the compiler see everything else. */
    private enum TextOnly implements Globals.Undumper {
        INSTANCE;

        @Override
        public org.luaj.vm2.Prototype undump(java.io.InputStream stream, String chunkname)
                throws java.io.IOException {
            if (stream.read() == 0x1B) {
                throw new LuaError("attempt to load a binary chunk");
            }
            return null;
        }
    }
}
