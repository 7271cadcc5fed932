package org.dragonflymle.lua.compat;

import org.luaj.vm2.Buffer;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

/**
 * {@code string.find}, {@code match}, {@code gmatch} (and its 5.0 name {@code gfind}) and {@code
 * gsub} over the project's own matcher ({@link LuaPattern}), in place of LuaJ's, whose empty
 * matches never advance, which lacks {@code %f} and which fails with Java exceptions on malformed
 * patterns. Semantics are LuaJIT 2.1's: a start position past the end is clamped to the end, {@code
 * find} without special characters (or with {@code plain}) searches for the bytes, a {@code ^} in
 * {@code gmatch} is an ordinary character, an empty match moves on by one character.
 */
public final class LuaPatternLib {

    private static final String SPECIALS = "^$*+?.([%-";

    private final MatchStepHook hook;

    public LuaPatternLib(MatchStepHook hook) {
        this.hook = hook;
    }

    /** Puts the functions into {@code string}. */
    public void install(LuaValue string) {
        string.set("find", new Find(this, true));
        string.set("match", new Find(this, false));
        Gmatch gmatch = new Gmatch(this);
        string.set("gmatch", gmatch);
        string.set("gfind", gmatch);
        string.set("gsub", new Gsub(this));
    }

    /** LuaJIT's start position: 1-based, negative from the end, clamped to [0, len]. */
    private static int start(Varargs args, int arg, String name, int len) {
        int init = LuaArgs.optInt(args, arg, name, 1);
        long st = init < 0 ? (long) init + len : init - 1L;
        return (int) Math.max(0, Math.min(st, len));
    }

    static final class Find extends VarArgFunction {
        private final LuaPatternLib lib;
        private final boolean find;
        private final String fname;

        Find(LuaPatternLib lib, boolean find) {
            this.lib = lib;
            this.find = find;
            this.fname = find ? "find" : "match";
        }

        @Override
        public Varargs invoke(Varargs args) {
            LuaString s = LuaArgs.checkString(args, 1, fname);
            LuaString p = LuaArgs.checkString(args, 2, fname);
            int st = start(args, 3, fname, s.length());
            if (find && (args.arg(4).toboolean() || !hasSpecials(p))) {
                int at = s.indexOf(p, st);
                return at < 0 ? NIL : varargsOf(valueOf(at + 1), valueOf(at + p.length()));
            }
            LuaPattern m = new LuaPattern(s, p, lib.hook);
            int pi = 0;
            boolean anchor = m.patEnd > 0 && p.luaByte(0) == '^';
            if (anchor) {
                pi = 1;
            }
            int si = st;
            do {
                m.reset();
                int e = m.match(si, pi);
                if (e != -1) {
                    if (find) {
                        return varargsOf(
                                valueOf(si + 1), valueOf(e), varargsOf(m.captures(si, e, false)));
                    }
                    return varargsOf(m.captures(si, e, true));
                }
            } while (si++ < m.srcLen && !anchor);
            return NIL;
        }
    }

    private static boolean hasSpecials(LuaString p) {
        for (int i = 0, n = p.length(); i < n; i++) {
            if (SPECIALS.indexOf(p.luaByte(i)) >= 0) {
                return true;
            }
        }
        return false;
    }

    static final class Gmatch extends VarArgFunction {
        private final LuaPatternLib lib;

        Gmatch(LuaPatternLib lib) {
            this.lib = lib;
        }

        @Override
        public Varargs invoke(Varargs args) {
            LuaString s = LuaArgs.checkString(args, 1, "gmatch");
            LuaString p = LuaArgs.checkString(args, 2, "gmatch");
            return new GmatchIterator(new LuaPattern(s, p, lib.hook));
        }
    }

    static final class GmatchIterator extends VarArgFunction {
        private final LuaPattern m;
        private int pos;

        GmatchIterator(LuaPattern m) {
            this.m = m;
        }

        @Override
        public Varargs invoke(Varargs args) {
            for (int si = pos; si <= m.srcLen; si++) {
                m.reset();
                int e = m.match(si, 0);
                if (e != -1) {
                    pos = e == si ? e + 1 : e;
                    return varargsOf(m.captures(si, e, true));
                }
            }
            pos = m.srcLen + 1;
            return NIL;
        }
    }

    static final class Gsub extends VarArgFunction {
        private final LuaPatternLib lib;

        Gsub(LuaPatternLib lib) {
            this.lib = lib;
        }

        @Override
        public Varargs invoke(Varargs args) {
            LuaString s = LuaArgs.checkString(args, 1, "gsub");
            LuaString p = LuaArgs.checkString(args, 2, "gsub");
            LuaValue repl = args.arg(3);
            int tr = repl.type();
            if (tr != TNUMBER && tr != TSTRING && tr != TFUNCTION && tr != TTABLE) {
                throw LuaArgs.bad(3, "gsub", "string/function/table expected");
            }
            LuaString replText =
                    tr == TNUMBER || tr == TSTRING ? LuaArgs.checkString(args, 3, "gsub") : null;
            int max = LuaArgs.optInt(args, 4, "gsub", s.length() + 1);
            LuaPattern m = new LuaPattern(s, p, lib.hook);
            boolean anchor = m.patEnd > 0 && p.luaByte(0) == '^';
            int pi = anchor ? 1 : 0;
            int len = s.length();
            Buffer b = new Buffer(len + 16);
            int si = 0;
            int n = 0;
            while (n < max) {
                m.reset();
                int e = m.match(si, pi);
                if (e != -1) {
                    n++;
                    addValue(b, m, s, si, e, repl, replText);
                }
                if (e != -1 && e > si) {
                    si = e;
                } else if (si < len) {
                    b.append((byte) s.luaByte(si++));
                } else {
                    break;
                }
                if (anchor) {
                    break;
                }
            }
            b.append(s.substring(si, len));
            return varargsOf(b.tostring(), valueOf(n));
        }

        private static void addValue(
                Buffer b, LuaPattern m, LuaString s, int si, int e, LuaValue repl, LuaString text) {
            LuaValue v;
            if (text != null) {
                addText(b, m, s, si, e, text);
                return;
            }
            if (repl.type() == TFUNCTION) {
                v = repl.invoke(varargsOf(m.captures(si, e, true))).arg1();
            } else {
                v = ((LuaTable) repl).get(m.capture(0, si, e));
            }
            if (!v.toboolean()) {
                b.append(s.substring(si, e));
            } else if (v.type() == TSTRING) {
                b.append(v.strvalue());
            } else if (v.type() == TNUMBER) {
                b.append(LuaToString.number(v));
            } else {
                throw new LuaError("invalid replacement value (a " + v.typename() + ")");
            }
        }

        private static void addText(
                Buffer b, LuaPattern m, LuaString s, int si, int e, LuaString text) {
            int l = text.length();
            for (int i = 0; i < l; i++) {
                int c = text.luaByte(i);
                if (c != '%') {
                    b.append((byte) c);
                    continue;
                }
                i++;
                int d = i < l ? text.luaByte(i) : 0; // C reads the terminating NUL
                if (d < '0' || d > '9') {
                    b.append((byte) d);
                } else if (d == '0') {
                    b.append(s.substring(si, e));
                } else {
                    LuaValue cap = m.capture(d - '1', si, e);
                    b.append(cap.type() == TNUMBER ? LuaToString.number(cap) : cap.strvalue());
                }
            }
        }
    }
}
