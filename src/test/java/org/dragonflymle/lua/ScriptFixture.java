package org.dragonflymle.lua;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.dragonflymle.lua.api.ScriptContext;
import org.dragonflymle.lua.lib.DragonflyLib;
import org.dragonflymle.testutils.TestingEventRouter;
import org.luaj.vm2.LuaValue;

/**
 * A Dragonfly ROOT and LOGDIR in a temporary directory, and hosts for scripts written into it.
 * {@link #evaluator()} starts a script whose {@code loop(code)} runs Lua code and keeps its result
 * in the global {@code result}, so tests can check Lua behaviour through the public API.
 */
public final class ScriptFixture {

    public static final String EVALUATOR =
            "function loop(code) result = assert(loadstring(code))() end\n";

    public final Path root;
    public final Path logDir;
    public final TestingEventRouter router = new TestingEventRouter();

    public ScriptFixture(Path tmp) {
        root = tmp.resolve("root");
        logDir = tmp.resolve("log");
        try {
            Files.createDirectories(root.resolve("analyzer"));
            Files.createDirectories(logDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path write(String relative, String content) {
        Path p = root.resolve(relative);
        try {
            Files.createDirectories(p.getParent());
            Files.writeString(p, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    public ScriptContext context(String relative, Map<String, String> globals, Path confinement) {
        return new ScriptContext(
                "test", root.resolve(relative), relative, root, logDir, globals, confinement);
    }

    public ScriptHost host(String relative, String code) {
        write(relative, code);
        ScriptContext ctx = context(relative, Map.of(), null);
        return new ScriptHost(ctx, List.of(new DragonflyLib(router, ctx)));
    }

    public ScriptHost started(String relative, String code) throws ScriptSetupException {
        ScriptHost h = host(relative, code);
        h.start();
        return h;
    }

    public ScriptHost evaluator() throws ScriptSetupException {
        return started("analyzer/eval.lua", EVALUATOR);
    }

    /** Runs {@code code} (a chunk; use {@code return}) in {@code host} and returns its result. */
    public static LuaValue eval(ScriptHost host, String code) throws ScriptException {
        host.loop(LuaValue.valueOf(code));
        return host.globals().get("result");
    }

    /** {@link #eval} as a Java string (through the script's {@code tostring}). */
    public static String evalString(ScriptHost host, String code) throws ScriptException {
        return eval(host, "return tostring((function() " + code + " end)())").tojstring();
    }
}
