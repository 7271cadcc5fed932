package org.dragonflymle.lua.lib;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.dragonflymle.lua.compat.LuaNumberFormat;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * Turns the Lua arguments of {@code conn:command(...)} and {@code conn:command_line(line)} into the
 * byte strings sent to Redis.
 *
 * <p>Each argument is converted as Lua's {@code tostring} would: strings as their bytes (binary
 * safe), numbers as Lua prints them, anything else through its {@code __tostring} metamethod or its
 * default name. Integral numbers print with all their digits ({@code 2090564295433925}, as LuaJ's
 * {@code tostring}), so a 64-bit flow id makes the same key it would as a string; other numbers
 * print with 14 significant digits like Lua 5.1's {@code %.14g} ({@code 0.1}, {@code
 * 3.1415926535898}, {@code 1e+300}), not with LuaJ's float precision.
 *
 * <p>One instance per connection reuses its list: a string whose bytes fill their array is passed
 * without a copy, so {@code conn:command("INCR", key)} allocates nothing here. The returned list is
 * valid until the next conversion. Not thread-safe.
 */
final class HiredisArgs {

    private static final int SMALL_MIN = -128;
    private static final int SMALL_MAX = 1024;
    private static final byte[][] SMALL_INTEGERS = new byte[SMALL_MAX - SMALL_MIN + 1][];
    private static final double TWO_POW_63 = 0x1p63;

    static {
        for (int i = SMALL_MIN; i <= SMALL_MAX; i++) {
            SMALL_INTEGERS[i - SMALL_MIN] = ascii(Integer.toString(i));
        }
    }

    private final ArrayList<byte[]> args = new ArrayList<>();
    private final List<byte[]> view = Collections.unmodifiableList(args);
    private boolean inUse;

    /**
     * The arguments from {@code first} on, converted with {@code tostring} semantics.
     *
     * @throws LuaError when there is no argument (no command name)
     */
    List<byte[]> fromVarargs(Varargs varargs, int first) {
        int n = varargs.narg();
        if (n < first) {
            throw new LuaError("missing command name");
        }
        // A __tostring metamethod may itself use hiredis; it then gets a list of its own.
        boolean nested = inUse;
        ArrayList<byte[]> out = nested ? new ArrayList<>(n - first + 1) : args;
        out.clear();
        inUse = true;
        try {
            for (int i = first; i <= n; i++) {
                out.add(toBytes(varargs.arg(i)));
            }
        } finally {
            inUse = nested;
        }
        return nested ? Collections.unmodifiableList(out) : view;
    }

    /**
     * {@code conn:command_line("SET k v")}: the line split on white space (space, tab, CR, LF),
     * bytes kept as they are.
     *
     * @throws LuaError when the line holds no word
     */
    List<byte[]> fromLine(LuaString line) {
        ArrayList<byte[]> out = inUse ? new ArrayList<>() : args;
        out.clear();
        byte[] bytes = line.m_bytes;
        int end = line.m_offset + line.m_length;
        int i = line.m_offset;
        while (i < end) {
            while (i < end && isSpace(bytes[i])) {
                i++;
            }
            int start = i;
            while (i < end && !isSpace(bytes[i])) {
                i++;
            }
            if (i > start) {
                out.add(Arrays.copyOfRange(bytes, start, i));
            }
        }
        if (out.isEmpty()) {
            throw new LuaError("missing command name");
        }
        return out == args ? view : Collections.unmodifiableList(out);
    }

    /** One value as Lua's {@code tostring} would print it, as bytes. */
    static byte[] toBytes(LuaValue value) {
        switch (value.type()) {
            case LuaValue.TSTRING:
                if (value instanceof LuaString s) {
                    return bytesOf(s);
                }
                return bytesOf(value.strvalue());
            case LuaValue.TNUMBER:
                return value.isint() ? integer(value.toint()) : number(value.todouble());
            default:
                LuaValue handler = value.metatag(LuaValue.TOSTRING);
                if (!handler.isnil()) {
                    LuaValue s = handler.call(value);
                    if (s.isstring()) {
                        return toBytes(s);
                    }
                    throw new LuaError("'__tostring' must return a string");
                }
                return ascii(value.tojstring());
        }
    }

    /** The string's bytes, shared when they fill their array (Lua strings are immutable). */
    private static byte[] bytesOf(LuaString s) {
        if (s.m_offset == 0 && s.m_length == s.m_bytes.length) {
            return s.m_bytes;
        }
        return Arrays.copyOfRange(s.m_bytes, s.m_offset, s.m_offset + s.m_length);
    }

    private static byte[] integer(int i) {
        if (i >= SMALL_MIN && i <= SMALL_MAX) {
            return SMALL_INTEGERS[i - SMALL_MIN];
        }
        return ascii(Integer.toString(i));
    }

    /** A double as Lua prints it: integral values in full, others as {@code %.14g}. */
    static byte[] number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < TWO_POW_63) {
            long l = (long) v;
            return l >= SMALL_MIN && l <= SMALL_MAX
                    ? SMALL_INTEGERS[(int) l - SMALL_MIN]
                    : ascii(Long.toString(l));
        }
        return ascii(LuaNumberFormat.toString(v));
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || b == '\t' || b == '\r' || b == '\n' || b == '\f' || b == 0x0b;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
