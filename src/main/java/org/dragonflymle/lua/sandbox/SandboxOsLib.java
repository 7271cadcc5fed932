package org.dragonflymle.lua.sandbox;

import java.util.Calendar;
import java.util.TimeZone;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.OneArgFunction;
import org.luaj.vm2.lib.TwoArgFunction;
import org.luaj.vm2.lib.VarArgFunction;
import org.luaj.vm2.lib.jse.JseOsLib;

/**
 * The {@code os} library as scripts get it: {@code clock}, {@code time}, {@code date}, {@code
 * difftime}, {@code getenv} and {@code exit}; nothing that runs processes or touches files.
 *
 * <ul>
 *   <li>{@code os.time()} returns whole seconds like C (LuaJ returns a fraction).
 *   <li>{@code os.clock()} is seconds since the JVM loaded the runtime, a monotonic clock: good for
 *       measuring elapsed time, which is what scripts use it for.
 *   <li>{@code os.getenv} always returns nil: the TaskManager's environment is not the script's
 *       configuration (config.lua is) and may hold secrets.
 *   <li>{@code os.exit} throws {@link ScriptExit}; the host reports it as an error of the script.
 * </ul>
 */
public final class SandboxOsLib extends TwoArgFunction {

    private static final long CLOCK_BASE = System.nanoTime();

    private final SandboxState state;
    private final JseOsLib formatter = new JseOsLib();

    public SandboxOsLib(SandboxState state) {
        this.state = state;
    }

    @Override
    public LuaValue call(LuaValue modname, LuaValue env) {
        LuaTable os = new LuaTable();
        os.set("clock", new Clock());
        os.set("time", new Time());
        os.set("date", new Date());
        os.set("difftime", new DiffTime());
        os.set("getenv", new GetEnv());
        os.set("exit", new Exit());
        env.set("os", os);
        env.get("package").get("loaded").set("os", os);
        return os;
    }

    static final class Clock extends VarArgFunction {
        @Override
        public Varargs invoke(Varargs args) {
            return valueOf((System.nanoTime() - CLOCK_BASE) / 1e9);
        }
    }

    static final class Time extends OneArgFunction {
        @Override
        public LuaValue call(LuaValue t) {
            if (t.isnil()) {
                return valueOf((double) Math.floorDiv(System.currentTimeMillis(), 1000L));
            }
            LuaTable table = t.checktable();
            Calendar c = Calendar.getInstance();
            c.setLenient(true);
            c.clear();
            c.set(Calendar.YEAR, field(table, "year", -1));
            c.set(Calendar.MONTH, field(table, "month", -1) - 1);
            c.set(Calendar.DAY_OF_MONTH, field(table, "day", -1));
            c.set(Calendar.HOUR_OF_DAY, field(table, "hour", 12));
            c.set(Calendar.MINUTE, field(table, "min", 0));
            c.set(Calendar.SECOND, field(table, "sec", 0));
            return valueOf((double) Math.floorDiv(c.getTimeInMillis(), 1000L));
        }

        private static int field(LuaTable t, String key, int dflt) {
            LuaValue v = t.get(key);
            if (v.isnil()) {
                if (dflt < 0) {
                    error("field '" + key + "' missing in date table");
                }
                return dflt;
            }
            if (!v.isnumber()) {
                error("field '" + key + "' is not an integer");
            }
            return (int) v.todouble();
        }
    }

    final class Date extends VarArgFunction {
        @Override
        public Varargs invoke(Varargs args) {
            String format = args.optjstring(1, "%c");
            double t =
                    args.isnoneornil(2)
                            ? Math.floorDiv(System.currentTimeMillis(), 1000L)
                            : args.checkdouble(2);
            boolean utc = format.startsWith("!");
            String body = utc ? format.substring(1) : format;
            if (body.startsWith("*t")) {
                return table(t, utc);
            }
            return valueOf(formatter.date(format, t));
        }

        private LuaTable table(double t, boolean utc) {
            Calendar c =
                    utc
                            ? Calendar.getInstance(TimeZone.getTimeZone("UTC"))
                            : Calendar.getInstance();
            c.setTimeInMillis((long) Math.floor(t) * 1000L);
            LuaTable tbl = new LuaTable();
            tbl.set("year", c.get(Calendar.YEAR));
            tbl.set("month", c.get(Calendar.MONTH) + 1);
            tbl.set("day", c.get(Calendar.DAY_OF_MONTH));
            tbl.set("hour", c.get(Calendar.HOUR_OF_DAY));
            tbl.set("min", c.get(Calendar.MINUTE));
            tbl.set("sec", c.get(Calendar.SECOND));
            tbl.set("wday", c.get(Calendar.DAY_OF_WEEK));
            tbl.set("yday", c.get(Calendar.DAY_OF_YEAR));
            tbl.set("isdst", valueOf(!utc && c.get(Calendar.DST_OFFSET) != 0));
            return tbl;
        }
    }

    static final class DiffTime extends TwoArgFunction {
        @Override
        public LuaValue call(LuaValue t2, LuaValue t1) {
            return valueOf(t2.checkdouble() - t1.optdouble(0));
        }
    }

    static final class GetEnv extends OneArgFunction {
        @Override
        public LuaValue call(LuaValue name) {
            name.checkjstring();
            return NIL;
        }
    }

    final class Exit extends VarArgFunction {
        @Override
        public Varargs invoke(Varargs args) {
            String code = args.narg() == 0 ? "" : args.arg1().tojstring();
            ScriptExit exit = new ScriptExit(code);
            state.exitRequested(exit);
            throw exit;
        }
    }
}
