package org.dragonflymle.event;

import java.util.Arrays;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * Encodes Lua values as JSON the way lua-cjson does, with one difference that matters: what a
 * {@link LazyJsonTable} still holds unchanged is copied from its original bytes, so values no
 * script touched leave the engine exactly as they came in.
 *
 * <p>lua-cjson rules kept: a table whose keys are exactly 1..n is an array, an empty table is
 * {@code {}}, integral numbers print without {@code .0}, number keys of objects become strings,
 * arrays sparser than half full (beyond index 10) are refused, nesting beyond 1000 is refused, and
 * NaN or infinity are refused. JSON longer than {@value #MAX_BYTES} bytes is refused too (lua-cjson
 * would fill the memory with a table that nests shared sub-tables). Differences: numbers print with
 * all their digits (cjson keeps 14, which changes a quarter of real flow_ids) and {@code /} is not
 * escaped. Strings are written byte for byte (Lua strings are bytes), escaping only what JSON
 * requires.
 *
 * <p>Reuses one growing buffer: not thread-safe, one per operator instance. {@link #encode} returns
 * a fresh array the caller owns.
 */
public final class LuaJsonWriter {

    private static final int MAX_DEPTH = 1000;
    private static final byte[] HEX = "0123456789abcdef".getBytes();
    private static final byte[] NULL = "null".getBytes();
    private static final byte[] TRUE = "true".getBytes();
    private static final byte[] FALSE = "false".getBytes();

    /** The longest JSON text written, as {@code string.rep}'s longest string. */
    static final int MAX_BYTES = 64 << 20;

    private static final int INITIAL_BYTES = 8192;

    /** Kept between values up to this size; a larger buffer is let go after its value. */
    private static final int KEPT_BYTES = 1 << 20;

    private byte[] buf = new byte[INITIAL_BYTES];
    private int len;

    /**
     * Encodes {@code value}: a new array, or, for an event table nothing has changed whose bytes
     * are exactly its JSON text, those bytes themselves (an event's bytes are never written to
     * after they are read, so they are shared, not copied twice per stage).
     */
    public byte[] encode(LuaValue value) {
        if (value instanceof LazyJsonTable t
                && t.isPristine()
                && t.start() == 0
                && t.end() == t.json().length) {
            return t.json();
        }
        len = 0;
        try {
            write(value, 0);
            return Arrays.copyOf(buf, len);
        } finally {
            if (buf.length > KEPT_BYTES) {
                buf = new byte[INITIAL_BYTES];
            }
        }
    }

    /** Encodes {@code value} as a Lua string (for {@code cjson.encode}). */
    public LuaString encodeToLuaString(LuaValue value) {
        return LuaString.valueUsing(encode(value));
    }

    private void write(LuaValue v, int depth) {
        switch (v.type()) {
            case LuaValue.TNIL -> raw(NULL);
            case LuaValue.TBOOLEAN -> raw(v.toboolean() ? TRUE : FALSE);
            case LuaValue.TNUMBER -> number(v);
            case LuaValue.TSTRING -> string(v.checkstring());
            case LuaValue.TTABLE -> {
                if (depth >= MAX_DEPTH) {
                    throw new JsonEncodeException(
                            "Cannot serialise, excessive nesting (" + (depth + 1) + ")");
                }
                if (v instanceof LazyJsonTable lazy) {
                    lazyTable(lazy, depth + 1);
                } else {
                    table((LuaTable) v, depth + 1);
                }
            }
            case LuaValue.TUSERDATA, LuaValue.TLIGHTUSERDATA -> {
                if (v != JsonNull.NULL) {
                    throw new JsonEncodeException("Cannot serialise userdata: type not supported");
                }
                raw(NULL);
            }
            default ->
                    throw new JsonEncodeException(
                            "Cannot serialise " + v.typename() + ": type not supported");
        }
    }

    private void lazyTable(LazyJsonTable t, int depth) {
        if (t.isPristine()) {
            raw(t.json(), t.start(), t.end() - t.start());
            return;
        }
        if (t.isJsonArray()) {
            table(t, depth);
            return;
        }
        // changed object: original keys in document order, then keys added since
        ensure(1);
        buf[len++] = '{';
        boolean first = true;
        JsonMembers members = t.originalMembers();
        int n = members.count();
        for (int i = 0; i < n; i++) {
            LuaValue key = members.key(i);
            LuaValue current = t.rawget(key);
            if (current.isnil() || isShadowed(members, key, i)) {
                continue;
            }
            first = comma(first);
            string((LuaString) key);
            ensure(1);
            buf[len++] = ':';
            if (isOriginalScalar(current, members.value(i))) {
                int s = members.valueStart(i);
                raw(t.json(), s, members.valueEnd(i) - s);
            } else {
                write(current, depth);
            }
        }
        for (LuaValue key : t.addedKeys()) {
            LuaValue current = t.rawget(key);
            if (current.isnil()) {
                continue;
            }
            first = comma(first);
            objectKey(key);
            write(current, depth);
        }
        ensure(1);
        buf[len++] = '}';
    }

    /**
     * Whether {@code current} is the scalar decoded from the original bytes, so those bytes can be
     * written instead. By value, not identity: LuaJ stores numbers in tables unboxed and boxes them
     * anew on every read.
     */
    private static boolean isOriginalScalar(LuaValue current, LuaValue original) {
        return current == original
                ? !(current instanceof LuaTable)
                : current.type() == original.type()
                        && current.type() != LuaValue.TTABLE
                        && current.raweq(original);
    }

    /** A duplicated key is written once, at its last position (its value is the last one's). */
    private static boolean isShadowed(JsonMembers members, LuaValue key, int i) {
        int n = members.count();
        for (int j = i + 1; j < n; j++) {
            if (members.key(j).raweq(key)) {
                return true;
            }
        }
        return false;
    }

    private void table(LuaTable t, int depth) {
        int arrayLength = arrayLength(t);
        if (arrayLength > 0 || (arrayLength == 0 && t instanceof LazyJsonTable)) {
            array(t, arrayLength, depth);
            return;
        }
        ensure(1);
        buf[len++] = '{';
        boolean first = true;
        LuaValue k = LuaValue.NIL;
        while (true) {
            Varargs next = t.next(k);
            if ((k = next.arg1()).isnil()) {
                break;
            }
            first = comma(first);
            objectKey(k);
            write(next.arg(2), depth);
        }
        ensure(1);
        buf[len++] = '}';
    }

    private void array(LuaTable t, int n, int depth) {
        LazyJsonTable lazy = t instanceof LazyJsonTable l ? l : null;
        JsonMembers members = lazy == null ? null : lazy.originalMembers();
        ensure(1);
        buf[len++] = '[';
        for (int i = 1; i <= n; i++) {
            if (i > 1) {
                ensure(1);
                buf[len++] = ',';
            }
            LuaValue v = t.rawget(i);
            if (members != null
                    && i <= members.count()
                    && isOriginalScalar(v, members.value(i - 1))) {
                int s = members.valueStart(i - 1);
                raw(lazy.json(), s, members.valueEnd(i - 1) - s);
            } else {
                write(v, depth);
            }
        }
        ensure(1);
        buf[len++] = ']';
    }

    /**
     * lua-cjson's test: the largest key when every key is a positive integer and the table is not
     * excessively sparse, 0 for an empty table, -1 for an object.
     */
    private static int arrayLength(LuaTable t) {
        int max = 0;
        int items = 0;
        LuaValue k = LuaValue.NIL;
        while (true) {
            k = t.next(k).arg1();
            if (k.isnil()) {
                break;
            }
            if (!k.isnumber()) {
                return -1;
            }
            double d = k.todouble();
            if (d < 1 || d != Math.floor(d) || d > Integer.MAX_VALUE) {
                return -1;
            }
            max = Math.max(max, (int) d);
            items++;
        }
        if (max > 10 && max > items * 2) {
            throw new JsonEncodeException("Cannot serialise table: excessively sparse array");
        }
        return max;
    }

    private boolean comma(boolean first) {
        if (!first) {
            ensure(1);
            buf[len++] = ',';
        }
        return false;
    }

    private void objectKey(LuaValue key) {
        if (key.type() == LuaValue.TSTRING) {
            string(key.checkstring());
        } else if (key.type() == LuaValue.TNUMBER) {
            ensure(1);
            buf[len++] = '"';
            number(key);
            ensure(1);
            buf[len++] = '"';
        } else {
            throw new JsonEncodeException(
                    "Cannot serialise "
                            + key.typename()
                            + ": table key must be a number or string");
        }
        ensure(1);
        buf[len++] = ':';
    }

    private void number(LuaValue v) {
        if (v.isinttype()) {
            ascii(Integer.toString(v.toint()));
            return;
        }
        double d = v.todouble();
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            throw new JsonEncodeException("Cannot serialise number: must not be NaN or Inf");
        }
        if (d == Math.rint(d) && Math.abs(d) < 1e17) {
            ascii(Long.toString((long) d));
        } else {
            ascii(Double.toString(d).replace('E', 'e'));
        }
    }

    private void ascii(String s) {
        int n = s.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            buf[len++] = (byte) s.charAt(i);
        }
    }

    private void string(LuaString s) {
        byte[] b = s.m_bytes;
        int off = s.m_offset;
        int n = s.m_length;
        ensure(n + 2);
        buf[len++] = '"';
        int runStart = off;
        for (int i = off; i < off + n; i++) {
            int c = b[i];
            if (c >= 0x20 && c != '"' && c != '\\' || c < 0) {
                continue;
            }
            raw(b, runStart, i - runStart);
            escape(c);
            runStart = i + 1;
        }
        raw(b, runStart, off + n - runStart);
        ensure(1);
        buf[len++] = '"';
    }

    private void escape(int c) {
        ensure(6);
        buf[len++] = '\\';
        switch (c) {
            case '"' -> buf[len++] = '"';
            case '\\' -> buf[len++] = '\\';
            case '\n' -> buf[len++] = 'n';
            case '\r' -> buf[len++] = 'r';
            case '\t' -> buf[len++] = 't';
            case '\b' -> buf[len++] = 'b';
            case '\f' -> buf[len++] = 'f';
            default -> {
                buf[len++] = 'u';
                buf[len++] = '0';
                buf[len++] = '0';
                buf[len++] = HEX[c >> 4];
                buf[len++] = HEX[c & 0xf];
            }
        }
    }

    private void raw(byte[] b) {
        raw(b, 0, b.length);
    }

    private void raw(byte[] b, int off, int n) {
        ensure(n);
        System.arraycopy(b, off, buf, len, n);
        len += n;
    }

    private void ensure(int n) {
        if (len + n > buf.length) {
            if ((long) len + n > MAX_BYTES) {
                // a table that shares sub-tables ({t, t} nested 40 deep) is small in Lua and
                // exabytes in JSON: refused here, not by filling the heap
                throw new JsonEncodeException(
                        "Cannot serialise, the JSON would be longer than "
                                + (MAX_BYTES >> 20)
                                + " MiB");
            }
            buf = Arrays.copyOf(buf, (int) Math.min(MAX_BYTES, Math.max(buf.length * 2L, len + n)));
        }
    }
}
