package org.dragonflymle.lua.sandbox;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Calendar;
import java.util.Locale;
import java.util.TimeZone;
import org.dragonflymle.lua.compat.LuaArgs;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.OneArgFunction;
import org.luaj.vm2.lib.TwoArgFunction;
import org.luaj.vm2.lib.VarArgFunction;

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
            // read in LuaJIT's order, so a missing field is reported as it does
            int sec = field(table, "sec", 0);
            int min = field(table, "min", 0);
            int hour = field(table, "hour", 12);
            int day = field(table, "day", -1);
            int month = field(table, "month", -1);
            int year = field(table, "year", -1);
            c.set(Calendar.YEAR, year);
            c.set(Calendar.MONTH, month - 1);
            c.set(Calendar.DAY_OF_MONTH, day);
            c.set(Calendar.HOUR_OF_DAY, hour);
            c.set(Calendar.MINUTE, min);
            c.set(Calendar.SECOND, sec);
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

    /** {@code os.date}: glibc's strftime ({@link Strftime}); local time is the JVM's zone. */
    static final class Date extends VarArgFunction {
        @Override
        public Varargs invoke(Varargs args) {
            String format =
                    args.isnoneornil(1)
                            ? "%c"
                            : new String(
                                    bytes(LuaArgs.checkString(args, 1, "date")),
                                    StandardCharsets.ISO_8859_1);
            double t =
                    args.isnoneornil(2)
                            ? Math.floorDiv(System.currentTimeMillis(), 1000L)
                            : LuaArgs.checkNumber(args, 2, "date");
            boolean utc = format.startsWith("!");
            String body = utc ? format.substring(1) : format;
            if (!(t > -6.7e16 && t < 6.7e16)) {
                return NIL; // beyond what gmtime/localtime can represent
            }
            ZoneId zone = utc ? ZoneOffset.UTC : ZoneId.systemDefault();
            ZonedDateTime when = Instant.ofEpochSecond((long) t).atZone(zone);
            if (body.equals("*t")) {
                return table(when, utc);
            }
            String zoneName =
                    utc
                            ? "GMT"
                            : TimeZone.getTimeZone(zone)
                                    .getDisplayName(
                                            zone.getRules().isDaylightSavings(when.toInstant()),
                                            TimeZone.SHORT,
                                            Locale.US);
            return LuaString.valueUsing(
                    Strftime.format(body, when, zoneName).getBytes(StandardCharsets.ISO_8859_1));
        }

        private static byte[] bytes(LuaString s) {
            byte[] out = new byte[s.length()];
            s.copyInto(0, out, 0, out.length);
            return out;
        }

        private static LuaTable table(ZonedDateTime c, boolean utc) {
            LuaTable tbl = new LuaTable();
            tbl.set("year", c.getYear());
            tbl.set("month", c.getMonthValue());
            tbl.set("day", c.getDayOfMonth());
            tbl.set("hour", c.getHour());
            tbl.set("min", c.getMinute());
            tbl.set("sec", c.getSecond());
            tbl.set("wday", c.getDayOfWeek().getValue() % 7 + 1);
            tbl.set("yday", c.getDayOfYear());
            tbl.set(
                    "isdst",
                    valueOf(!utc && c.getZone().getRules().isDaylightSavings(c.toInstant())));
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
