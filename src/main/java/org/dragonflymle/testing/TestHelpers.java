package org.dragonflymle.testing;

import org.dragonflymle.event.JsonNull;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaUserdata;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.lib.OneArgFunction;

/**
 * The names a test file may use besides Lua's own: {@code ABSENT} (the field or key must not
 * exist), {@code ANY} (it must exist, any value), {@code like(pattern)} (a string matching a Lua
 * pattern), {@code NULL} (JSON null) and {@code tick(seconds)} (in an events list: the virtual
 * clock moves on). Patterns are matched with the test file's own {@code string.find}, so they mean
 * what they mean in Lua.
 */
final class TestHelpers {

    /** What a matcher value in an expectation asks for. */
    enum Kind {
        ABSENT,
        ANY,
        LIKE
    }

    /** A matcher value: {@code ABSENT}, {@code ANY} or {@code like(pattern)}. */
    record Matcher(Kind kind, String pattern) {
        String describe() {
            return switch (kind) {
                case ABSENT -> "ABSENT";
                case ANY -> "ANY";
                case LIKE -> "like(\"" + pattern + "\")";
            };
        }
    }

    /** A {@code tick(seconds)} entry in an events list. */
    record Tick(double seconds) {}

    private final LuaValue absent = new LuaUserdata(new Matcher(Kind.ABSENT, null));
    private final LuaValue any = new LuaUserdata(new Matcher(Kind.ANY, null));
    private LuaValue stringFind = LuaValue.NIL;

    /** Sets the helper globals in a test file's sandbox. */
    void install(Globals globals) {
        stringFind = globals.get("string").get("find");
        globals.set("ABSENT", absent);
        globals.set("ANY", any);
        globals.set("NULL", JsonNull.NULL);
        globals.set(
                "like",
                new OneArgFunction() {
                    @Override
                    public LuaValue call(LuaValue pattern) {
                        return new LuaUserdata(new Matcher(Kind.LIKE, pattern.checkjstring()));
                    }
                });
        globals.set(
                "tick",
                new OneArgFunction() {
                    @Override
                    public LuaValue call(LuaValue seconds) {
                        double s = seconds.checkdouble();
                        if (!(s >= 0) || Double.isInfinite(s)) {
                            throw new LuaError("tick: seconds must be a number >= 0, got " + s);
                        }
                        return new LuaUserdata(new Tick(s));
                    }
                });
    }

    /** The matcher {@code v} is, or null when it is a plain value. */
    static Matcher matcher(LuaValue v) {
        return v.isuserdata(Matcher.class) ? (Matcher) v.touserdata(Matcher.class) : null;
    }

    static Tick tick(LuaValue v) {
        return v.isuserdata(Tick.class) ? (Tick) v.touserdata(Tick.class) : null;
    }

    /** Whether {@code s} matches the Lua pattern, as {@code string.find(s, pattern)} says. */
    boolean like(String s, String pattern) {
        try {
            return !stringFind.call(LuaValue.valueOf(s), LuaValue.valueOf(pattern)).isnil();
        } catch (LuaError e) {
            return false;
        }
    }
}
