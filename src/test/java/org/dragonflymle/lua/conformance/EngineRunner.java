package org.dragonflymle.lua.conformance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.dragonflymle.config.RedisSpec;
import org.dragonflymle.lua.ScriptHost;
import org.dragonflymle.lua.api.ScriptContext;
import org.dragonflymle.lua.lib.CjsonLib;
import org.dragonflymle.lua.lib.DragonflyLib;
import org.dragonflymle.lua.lib.HiredisLib;
import org.dragonflymle.ml.command.RedisMlInterceptor;
import org.dragonflymle.testutils.TestingEventRouter;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;

/**
 * Runs batches in the engine: the driver as an analyzer in a real {@link ScriptHost} with the
 * modules the stage operator gives every analyzer (dragonfly, cjson, hiredis), each batch one call
 * of {@code loop}, so cases see exactly what a script's loop sees. One host per runner.
 */
final class EngineRunner implements AutoCloseable {

    private final ScriptHost host;

    EngineRunner(Path tmp) throws Exception {
        Path root = tmp.resolve("root");
        Path logDir = tmp.resolve("log");
        Files.createDirectories(logDir);
        Resources.copy("driver.lua", root.resolve("analyzer"));
        Resources.copy("engine.lua", root.resolve("analyzer"));
        ScriptContext ctx =
                new ScriptContext(
                        "conformance",
                        root.resolve("analyzer/engine.lua"),
                        "analyzer/engine.lua",
                        root,
                        logDir,
                        Map.of(),
                        null);
        host =
                new ScriptHost(
                        ctx,
                        List.of(
                                new DragonflyLib(new TestingEventRouter(), ctx),
                                new CjsonLib(),
                                new HiredisLib(
                                        new RedisSpec("127.0.0.1", 1, null, 0, false),
                                        new RedisMlInterceptor())));
        host.start();
    }

    Map<String, String> run(List<ConformanceCase> batch, boolean generated) throws IOException {
        LuaTable msg = new LuaTable();
        msg.set("batch", LuaValue.valueOf(Batches.bytes(Batches.encode(batch))));
        msg.set("generated", LuaValue.valueOf(generated));
        try {
            host.loop(msg);
        } catch (Exception e) {
            throw new IllegalStateException("the driver failed in the engine: " + e, e);
        }
        LuaValue result = host.globals().get("result");
        return Batches.results(Batches.text(toBytes(result)));
    }

    private static byte[] toBytes(LuaValue s) {
        var ls = s.checkstring();
        byte[] out = new byte[ls.length()];
        ls.copyInto(0, out, 0, out.length);
        return out;
    }

    @Override
    public void close() {
        host.close();
    }
}
