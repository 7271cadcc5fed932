package org.dragonflymle.config.loader;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;
import org.dragonflymle.config.ConfigException;
import org.dragonflymle.lua.budget.CallBudget;
import org.dragonflymle.lua.budget.HookedLoader;
import org.dragonflymle.lua.compat.Lua51CompatLib;
import org.dragonflymle.lua.compat.MatchStepHook;
import org.dragonflymle.lua.sandbox.StringMetatable;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LoadState;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.compiler.LuaC;
import org.luaj.vm2.lib.BaseLib;
import org.luaj.vm2.lib.PackageLib;
import org.luaj.vm2.lib.StringLib;
import org.luaj.vm2.lib.TableLib;
import org.luaj.vm2.lib.TwoArgFunction;
import org.luaj.vm2.lib.VarArgFunction;
import org.luaj.vm2.lib.jse.JseMathLib;

/**
 * Runs config.lua and hands back its globals. config.lua is a program, but only a declaration is
 * wanted from it, so it runs with the base library (without {@code dofile}, {@code loadfile},
 * {@code require}), {@code string}, {@code table} and {@code math} only: no {@code io}, {@code os},
 * {@code luajava}, {@code debug} or {@code coroutine}, no file access. {@code print} goes to the
 * loader's log.
 *
 * <p>A config that loops forever fails after {@value #INSTRUCTION_BUDGET} Lua instructions (a real
 * config needs a few thousand) or {@value #TIME_BUDGET_MILLIS} ms, whichever comes first, also in
 * chunks it loads with an environment of their own, and in a pattern that backtracks; one that
 * allocates more than {@value #MEMORY_BUDGET_MB} MiB, or asks {@code string.rep} for more than its
 * cap, fails as a memory bomb; endless recursion fails as a stack overflow. Each is a {@link
 * ConfigException} (exit 2), never a hang or an OutOfMemoryError.
 *
 * <p>LuaJ keeps the string metatable in a JVM-wide static; the one this sandbox installs (when none
 * was installed yet) is removed again afterwards, so config.lua cannot leave anything behind for
 * the scripts that run later in the same JVM. Loads are serialised for that; a config is loaded
 * before any script runs, so no script host races with it.
 */
final class ConfigSandbox {

    static final int INSTRUCTION_BUDGET = 10_000_000;
    static final long TIME_BUDGET_MILLIS = 10_000;
    static final long MEMORY_BUDGET_MB = 256;

    private static final String[] REMOVED = {"dofile", "loadfile", "require", "package", "debug"};

    /** Names a config might reach for; reading one fails with a message saying why. */
    private static final Set<String> UNAVAILABLE =
            Set.of(
                    "dofile",
                    "loadfile",
                    "require",
                    "package",
                    "debug",
                    "io",
                    "os",
                    "luajava",
                    "coroutine");

    /** What config.lua left behind. */
    record Result(LuaTable globals, Set<String> builtinNames) {}

    private ConfigSandbox() {}

    /**
     * @param chunkName how Lua messages name the file, e.g. {@code config.lua}
     */
    static Result run(byte[] source, Path configFile, String chunkName, Consumer<String> print)
            throws ConfigException {
        synchronized (ConfigSandbox.class) { // one JVM-wide string metatable to save and restore
            return runSandboxed(source, configFile, chunkName, print);
        }
    }

    private static Result runSandboxed(
            byte[] source, Path configFile, String chunkName, Consumer<String> print)
            throws ConfigException {
        // restore the runtime's forwarding metatable, not whatever a LuaJ StringLib left there
        StringMetatable.install();
        LuaValue savedStringMetatable = LuaString.s_metatable;
        CallBudget budget = new CallBudget();
        try {
            Globals globals = newGlobals(budget);
            for (String name : REMOVED) {
                globals.set(name, LuaValue.NIL);
            }
            globals.set("print", new LogPrint(chunkName, print));
            globals.setmetatable(
                    LuaValue.tableOf(new LuaValue[] {LuaValue.INDEX, new Unavailable()}));
            Set<String> builtins = names(globals);
            LuaValue chunk;
            try {
                chunk =
                        globals.load(
                                new ByteArrayInputStream(source), "@" + chunkName, "t", globals);
            } catch (LuaError e) {
                throw failure(configFile, chunkName, "syntax error", e.getMessage());
            } catch (RuntimeException e) {
                throw failure(configFile, chunkName, "syntax error", String.valueOf(e));
            }
            budget.arm("config.lua", TIME_BUDGET_MILLIS, MEMORY_BUDGET_MB << 20);
            budget.limitInstructions(INSTRUCTION_BUDGET);
            // ("x"):rep(n) and ("a"):find(p) must find the library above too
            StringMetatable.Slot slot = StringMetatable.slot();
            LuaTable previous =
                    StringMetatable.enter(
                            slot, StringMetatable.newMetatable(globals.get("string")));
            try {
                chunk.call();
            } catch (LuaError e) {
                throw failure(configFile, chunkName, "error while running it", e.getMessage());
            } catch (CallBudget.Exceeded e) {
                throw new ConfigException(
                        configFile
                                + ": "
                                + e.getMessage()
                                + " (an endless loop or a memory bomb? config.lua only declares"
                                + " the pipeline)");
            } catch (StackOverflowError e) {
                throw new ConfigException(
                        configFile + ": stack overflow while running it (endless recursion?)");
            } catch (OutOfMemoryError e) {
                throw new ConfigException(
                        configFile + ": ran out of memory while running it (a memory bomb?)");
            } finally {
                budget.disarm();
                StringMetatable.exit(slot, previous);
            }
            return new Result(globals, builtins);
        } finally {
            LuaString.s_metatable = savedStringMetatable;
        }
    }

    private static Globals newGlobals(CallBudget budget) {
        Globals globals = new Globals();
        globals.load(new BaseLib());
        globals.load(new PackageLib());
        globals.load(new StringLib());
        globals.load(new TableLib());
        globals.load(new JseMathLib());
        LoadState.install(globals);
        LuaC.install(globals);
        // every chunk, also one loaded with an environment of its own, runs under the budget
        globals.loader = new HookedLoader(globals);
        budget.install(globals);
        // Lua 5.1 as the scripts have it; the pattern matcher polls the budget while it
        // backtracks, and string.rep refuses a result past its cap before allocating it
        globals.load(new Lua51CompatLib(() -> budget.poll(MatchStepHook.INTERVAL)));
        globals.finder = name -> null;
        return globals;
    }

    private static ConfigException failure(
            Path configFile, String chunkName, String what, String luaMessage) {
        String cleaned = LuaErrorText.clean(luaMessage);
        int line = LuaErrorText.line(cleaned, chunkName);
        if (line > 0) {
            String text =
                    cleaned.substring(cleaned.indexOf(':', chunkName.length() + 1) + 1).strip();
            return new ConfigException(configFile + ":" + line + ": " + what + ": " + text);
        }
        return new ConfigException(configFile + ": " + what + ": " + cleaned);
    }

    private static Set<String> names(LuaTable table) {
        Set<String> names = new HashSet<>();
        LuaValue k = LuaValue.NIL;
        while (true) {
            Varargs next = table.next(k);
            k = next.arg1();
            if (k.isnil()) {
                return names;
            }
            names.add(k.tojstring());
        }
    }

    /** Fails a read of a library config.lua does not get, naming it; other unset names are nil. */
    private static final class Unavailable extends TwoArgFunction {
        @Override
        public LuaValue call(LuaValue table, LuaValue key) {
            if (UNAVAILABLE.contains(key.tojstring())) {
                throw new LuaError(
                        key.tojstring()
                                + " is not available in config.lua (it only declares the"
                                + " pipeline)");
            }
            return NIL;
        }
    }

    /** {@code print(...)} in config.lua: one log line, as Lua would print it. */
    private static final class LogPrint extends VarArgFunction {
        private final String chunkName;
        private final Consumer<String> print;

        LogPrint(String chunkName, Consumer<String> print) {
            this.chunkName = chunkName;
            this.print = print;
        }

        @Override
        public Varargs invoke(Varargs args) {
            StringBuilder sb = new StringBuilder();
            for (int i = 1; i <= args.narg(); i++) {
                if (i > 1) {
                    sb.append('\t');
                }
                sb.append(args.arg(i).tojstring());
            }
            print.accept(chunkName + ": " + sb);
            return NONE;
        }
    }
}
