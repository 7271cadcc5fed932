package org.dragonflymle.lua.sandbox;

import org.dragonflymle.lua.api.ScriptContext;
import org.dragonflymle.lua.compat.Lua51CompatLib;
import org.dragonflymle.lua.compat.MatchStepHook;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.compiler.LuaC;
import org.luaj.vm2.lib.CoroutineLib;
import org.luaj.vm2.lib.OneArgFunction;
import org.luaj.vm2.lib.PackageLib;
import org.luaj.vm2.lib.StringLib;
import org.luaj.vm2.lib.TableLib;
import org.luaj.vm2.lib.VarArgFunction;
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
 * collected). Fine for an iterator in setup, expensive when created per event.
 */
public final class ScriptSandbox {

    /** Relative to ROOT: {@code require 'analyzer/utils'} loads ROOT/analyzer/utils.lua. */
    public static final String PACKAGE_PATH = "?.lua;?/init.lua";

    private final Globals globals = new Globals();
    private final SandboxState state = new SandboxState();
    private final ScriptPaths paths;
    private final LuaTable stringMetatable;

    public ScriptSandbox(ScriptContext ctx) {
        this(ctx, MatchStepHook.NONE);
    }

    /**
     * A sandbox whose pattern matcher calls {@code matchHook} as it works, so the caller can bound
     * a pattern that backtracks for long ({@link MatchStepHook}).
     */
    public ScriptSandbox(ScriptContext ctx, MatchStepHook matchHook) {
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
        globals.loader = LuaC.instance;
        globals.undumper = TextOnly.INSTANCE;
        confinePackage();
        globals.load(new Lua51CompatLib(matchHook));
        stringMetatable = StringMetatable.newMetatable(globals.get("string"));
        bindCoroutines();
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

    /**
     * A coroutine runs on its own thread, where no host has set the string metatable: its body is
     * wrapped to set it first.
     */
    private void bindCoroutines() {
        LuaValue co = globals.get("coroutine");
        co.set("create", new BindBody(co.get("create"), stringMetatable));
        co.set("wrap", new BindBody(co.get("wrap"), stringMetatable));
    }

    private static final class BindBody extends OneArgFunction {
        private final LuaValue original;
        private final LuaTable metatable;

        BindBody(LuaValue original, LuaTable metatable) {
            this.original = original;
            this.metatable = metatable;
        }

        @Override
        public LuaValue call(LuaValue body) {
            LuaValue f = body.checkfunction();
            return original.call(
                    new VarArgFunction() {
                        @Override
                        public Varargs invoke(Varargs args) {
                            StringMetatable.enter(StringMetatable.slot(), metatable);
                            return f.invoke(args);
                        }
                    });
        }
    }

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
