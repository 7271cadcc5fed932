package org.dragonflymle.lua.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.BaseLib;
import org.luaj.vm2.lib.VarArgFunction;

/**
 * LuaJ's base library with file access confined: {@code dofile}, {@code loadfile} and {@code
 * require} (through {@link #findResource}) load only Lua files under ROOT, relative names resolved
 * against ROOT. {@code collectgarbage} no longer calls {@link System#gc()}: a script that collects
 * on every event would stall the whole TaskManager.
 */
public final class SandboxBaseLib extends BaseLib {

    private final ScriptPaths paths;

    public SandboxBaseLib(ScriptPaths paths) {
        this.paths = paths;
    }

    @Override
    public LuaValue call(LuaValue modname, LuaValue env) {
        LuaValue result = super.call(modname, env);
        env.set("collectgarbage", new CollectGarbage());
        return result;
    }

    /** Opens a Lua file for {@code dofile}/{@code loadfile}/{@code require}; null if refused. */
    @Override
    public InputStream findResource(String filename) {
        try {
            Path p = paths.forRead(filename);
            return Files.isRegularFile(p) ? Files.newInputStream(p) : null;
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public Varargs loadFile(String filename, String mode, LuaValue env) {
        try {
            paths.forRead(filename);
        } catch (IOException e) {
            return varargsOf(NIL, valueOf("cannot open " + e.getMessage()));
        }
        return super.loadFile(filename, mode, env);
    }

    /** {@code collectgarbage(opt)}: reports memory, never forces a collection. */
    static final class CollectGarbage extends VarArgFunction {
        @Override
        public Varargs invoke(Varargs args) {
            String opt = args.optjstring(1, "collect");
            switch (opt) {
                case "count":
                    Runtime rt = Runtime.getRuntime();
                    long used = rt.totalMemory() - rt.freeMemory();
                    return varargsOf(valueOf(used / 1024.0), valueOf(used % 1024));
                case "collect":
                case "stop":
                case "restart":
                case "setpause":
                case "setstepmul":
                    return ZERO;
                case "step":
                    return FALSE;
                default:
                    return argerror(1, "invalid option '" + opt + "'");
            }
        }
    }
}
