package org.dragonflymle.lua.compat;

import org.luaj.vm2.Buffer;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.OneArgFunction;
import org.luaj.vm2.lib.TwoArgFunction;
import org.luaj.vm2.lib.VarArgFunction;

/**
 * Makes LuaJ 3.0.1 (a Lua 5.2) look like the LuaJIT 2.1 (Lua 5.1) scripts were written for. Load it
 * after the base, package, table, string and math libraries; it adds what 5.1 scripts use and LuaJ
 * lacks, and replaces what LuaJ gets wrong:
 *
 * <ul>
 *   <li>added: {@code unpack}, {@code loadstring}, {@code getfenv}/{@code setfenv} on functions
 *       (not on stack levels), {@code gcinfo}, {@code table.getn}, {@code table.maxn}, {@code
 *       table.foreach}, {@code table.foreachi}, {@code math.pow}, {@code math.mod}, {@code
 *       math.log10}, {@code string.gfind};
 *   <li>replaced: {@code tostring} (and so {@code print}) and {@code table.concat} write numbers
 *       with full precision, {@code string.format} honours width and precision, {@code tonumber}
 *       follows LuaJIT and never fails internally, {@code string.rep} takes a separator, {@code
 *       load} names string chunks {@code [string "..."]}, and {@code pcall}/{@code xpcall} hand
 *       scripts messages in Lua's {@code file:line: message} form.
 * </ul>
 *
 * Left out: {@code module} (it needs {@code setfenv} on the caller's stack level) and {@code
 * newproxy}. Not fixable from a library: the {@code ..} operator still formats non-integral numbers
 * with LuaJ's float precision, and {@code #} of an array with holes may pick another border than
 * LuaJIT.
 */
public final class Lua51CompatLib extends TwoArgFunction {

    private final MatchStepHook matchHook;

    public Lua51CompatLib() {
        this(MatchStepHook.NONE);
    }

    /** {@code matchHook} is called while patterns are matched (see {@link MatchStepHook}). */
    public Lua51CompatLib(MatchStepHook matchHook) {
        this.matchHook = matchHook;
    }

    @Override
    public LuaValue call(LuaValue modname, LuaValue env) {
        LuaValue table = env.get("table");
        LuaValue string = env.get("string");
        LuaValue math = env.get("math");

        env.set("tostring", new LuaToString());
        env.set("tonumber", new LuaToNumber());
        env.set("unpack", table.get("unpack"));
        Load load = new Load(env.get("load"));
        env.set("load", load);
        env.set("loadstring", new LoadString(load));
        env.set("pcall", new PCall(env.get("pcall")));
        env.set("getfenv", new FunctionEnvironments.GetFenv(env));
        env.set("setfenv", new FunctionEnvironments.SetFenv());
        env.set("gcinfo", new GcInfo());

        table.set("getn", new GetN());
        table.set("maxn", new MaxN());
        table.set("foreach", new ForEach());
        table.set("foreachi", new ForEachI());
        table.set("concat", new Concat());

        string.set("format", new LuaStringFormat());
        new LuaPatternLib(matchHook).install(string);
        LuaJitLibFunctions.install(string, math, table);
        LuaJitBaseFunctions.install(env);
        string.set("rep", new Rep());

        math.set("pow", new Pow());
        math.set("mod", new Fmod());
        math.set("log10", new Log10());
        return env;
    }

    /** {@code load}: string chunks without a name get Lua's {@code [string "..."]} name. */
    static final class Load extends VarArgFunction {
        private final LuaValue original;

        Load(LuaValue original) {
            this.original = original;
        }

        @Override
        public Varargs invoke(Varargs args) {
            LuaValue chunk = args.arg1();
            String given =
                    args.isstring(2)
                            ? args.tojstring(2)
                            : chunk.isstring() ? chunk.tojstring() : "=(load)";
            // '=' keeps LuaJ's compiler from wrapping the name in [string "..."] a second time
            LuaValue name = valueOf("=" + LuaErrorMessages.chunkName(given));
            return original.invoke(
                    varargsOf(new LuaValue[] {chunk, name, args.arg(3)}, args.subargs(4)));
        }
    }

    /** {@code loadstring(s [, chunkname])}: Lua 5.1's name for loading a string. */
    static final class LoadString extends VarArgFunction {
        private final Load load;

        LoadString(Load load) {
            this.load = load;
        }

        @Override
        public Varargs invoke(Varargs args) {
            return load.invoke(varargsOf(args.checkstring(1), args.arg(2)));
        }
    }

    static final class PCall extends VarArgFunction {
        private final LuaValue original;

        PCall(LuaValue original) {
            this.original = original;
        }

        @Override
        public Varargs invoke(Varargs args) {
            Varargs r = original.invoke(args);
            return r.arg1().toboolean() ? r : failed(r);
        }
    }

    private static Varargs failed(Varargs r) {
        return varargsOf(FALSE, normalized(r.arg(2)));
    }

    private static LuaValue normalized(LuaValue message) {
        return message.type() == TSTRING
                ? valueOf(LuaErrorMessages.normalize(message.tojstring()))
                : message;
    }

    /** Lua 5.1's {@code gcinfo()}: kilobytes in use. */
    static final class GcInfo extends org.luaj.vm2.lib.ZeroArgFunction {
        @Override
        public LuaValue call() {
            Runtime rt = Runtime.getRuntime();
            return valueOf((rt.totalMemory() - rt.freeMemory()) / 1024);
        }
    }

    static final class GetN extends OneArgFunction {
        @Override
        public LuaValue call(LuaValue t) {
            return valueOf(t.checktable().rawlen());
        }
    }

    static final class MaxN extends OneArgFunction {
        @Override
        public LuaValue call(LuaValue t) {
            LuaTable table = t.checktable();
            double max = 0;
            for (Varargs e = table.next(NIL); !e.arg1().isnil(); e = table.next(e.arg1())) {
                LuaValue k = e.arg1();
                if (k.type() == TNUMBER && k.todouble() > max) {
                    max = k.todouble();
                }
            }
            return valueOf(max);
        }
    }

    /** {@code table.foreach(t, f)}: calls f(k, v) until it returns non-nil, returns that. */
    static final class ForEach extends TwoArgFunction {
        @Override
        public LuaValue call(LuaValue t, LuaValue f) {
            LuaTable table = t.checktable();
            f.checkfunction();
            for (Varargs e = table.next(NIL); !e.arg1().isnil(); e = table.next(e.arg1())) {
                LuaValue r = f.call(e.arg1(), e.arg(2));
                if (!r.isnil()) {
                    return r;
                }
            }
            return NIL;
        }
    }

    /** {@code table.foreachi(t, f)}: f(i, t[i]) for i = 1..#t until non-nil. */
    static final class ForEachI extends TwoArgFunction {
        @Override
        public LuaValue call(LuaValue t, LuaValue f) {
            LuaTable table = t.checktable();
            f.checkfunction();
            for (int i = 1, n = table.rawlen(); i <= n; i++) {
                LuaValue r = f.call(valueOf(i), table.get(i));
                if (!r.isnil()) {
                    return r;
                }
            }
            return NIL;
        }
    }

    /** {@code table.concat(t [, sep [, i [, j]]])} with numbers written like {@code tostring}. */
    static final class Concat extends VarArgFunction {
        @Override
        public Varargs invoke(Varargs args) {
            LuaTable t = args.checktable(1);
            LuaString sep = args.isnoneornil(2) ? EMPTYSTRING : args.checkstring(2);
            int i = args.optint(3, 1);
            int j = args.isnoneornil(4) ? t.length() : args.checkint(4);
            Buffer b = new Buffer();
            for (int k = i; k <= j; k++) {
                LuaValue v = t.get(k);
                if (v.type() == TSTRING) {
                    b.append((LuaString) v);
                } else if (v.type() == TNUMBER) {
                    b.append(LuaToString.number(v));
                } else {
                    throw new LuaError(
                            "invalid value ("
                                    + v.typename()
                                    + ") at index "
                                    + k
                                    + " in table for 'concat'");
                }
                if (k < j) {
                    b.append(sep);
                }
            }
            return b.tostring();
        }
    }

    /**
     * The largest string {@code string.rep} builds: 64 MiB, far beyond any event (LuaJIT's limit is
     * 2 GiB); past it, LuaJIT's own message for a string it cannot build.
     */
    static final long MAX_REP_BYTES = 64L << 20;

    /** {@code string.rep(s, n [, sep])}. */
    static final class Rep extends VarArgFunction {
        @Override
        public Varargs invoke(Varargs args) {
            LuaString s = LuaArgs.checkString(args, 1, "rep");
            double count = LuaArgs.checkNumber(args, 2, "rep");
            LuaString sep = LuaArgs.optString(args, 3, "rep", EMPTYSTRING);
            if (count >= 2147483648.0) {
                // LuaJIT's conversion turns such a count into INT_MIN and returns "": a script
                // that asks for billions of copies gets an error here instead
                throw new LuaError("not enough memory");
            }
            int n = LuaArgs.toInt(count);
            if (n <= 0) {
                return EMPTYSTRING;
            }
            long size = (long) s.length() * n + (long) sep.length() * (n - 1);
            if (size > MAX_REP_BYTES) {
                throw new LuaError("not enough memory");
            }
            byte[] out = new byte[(int) size];
            int p = 0;
            for (int k = 0; k < n; k++) {
                if (k > 0) {
                    sep.copyInto(0, out, p, sep.length());
                    p += sep.length();
                }
                s.copyInto(0, out, p, s.length());
                p += s.length();
            }
            return LuaString.valueUsing(out);
        }
    }

    static final class Pow extends TwoArgFunction {
        @Override
        public LuaValue call(LuaValue x, LuaValue y) {
            return valueOf(LuaJSemantics.pow(x.checkdouble(), y.checkdouble()));
        }
    }

    /** Lua 5.0's {@code math.mod}, C's fmod (Java's {@code %} on doubles). */
    static final class Fmod extends TwoArgFunction {
        @Override
        public LuaValue call(LuaValue x, LuaValue y) {
            return valueOf(x.checkdouble() % y.checkdouble());
        }
    }

    static final class Log10 extends OneArgFunction {
        @Override
        public LuaValue call(LuaValue x) {
            return valueOf(Math.log10(x.checkdouble()));
        }
    }
}
