package org.dragonflymle.config.loader;

import java.util.Locale;
import java.util.function.Consumer;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;

/**
 * Accepts the C engine's {@code modules} and {@code responders} tables so old configs load, and
 * says what becomes of them. Redis modules are not loaded by this engine: Redis-ML commands are
 * answered by the engine itself (docs/model-scoring.md), any other module is the business of the
 * user's Redis. Responders do not exist here. Nothing in these tables can stop the job; odd shapes
 * are warnings.
 */
final class LegacyTablesReader {

    private LegacyTablesReader() {}

    static void read(LuaTable globals, Consumer<String> warn, Consumer<String> info) {
        modules(globals.rawget("modules"), warn, info);
        LuaValue responders = globals.rawget("responders");
        if (!responders.isnil()) {
            warn.accept("responders are not supported by this engine; the table is ignored");
        }
    }

    private static void modules(LuaValue modules, Consumer<String> warn, Consumer<String> info) {
        if (modules.isnil()) {
            return;
        }
        if (!modules.istable()) {
            warn.accept(
                    "modules should be a table like { {tag=\"ml\", module=\"redis-ml.so\"} }, got "
                            + LuaValues.describe(modules)
                            + "; ignored");
            return;
        }
        LuaTable table = (LuaTable) modules;
        for (int i = 1; i <= table.rawlen(); i++) {
            LuaValue entry = table.rawget(i);
            LuaValue module = entry.istable() ? entry.rawget("module") : LuaValue.NIL;
            String where = "modules[" + i + "]";
            if (!LuaValues.isString(module)) {
                warn.accept(where + ": expected { tag=..., module=\"path.so\" }; ignored");
            } else if (isRedisMl(module.tojstring())) {
                info.accept(
                        where
                                + ": "
                                + module.tojstring()
                                + " is Redis-ML; its ML.* commands are answered by the engine, the"
                                + " module is not loaded");
            } else {
                warn.accept(
                        where
                                + ": module "
                                + module.tojstring()
                                + " is not loaded by this engine; load it into your Redis server"
                                + " if scripts use its commands");
            }
        }
    }

    private static boolean isRedisMl(String module) {
        String m = module.toLowerCase(Locale.ROOT).replace("_", "-");
        return m.contains("redis-ml") || m.contains("redisml");
    }
}
