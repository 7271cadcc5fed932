package org.dragonflymle.event;

import java.nio.charset.StandardCharsets;
import org.luaj.vm2.LuaDouble;
import org.luaj.vm2.LuaInteger;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaValue;

/**
 * Turns JSON bytes that are already known to be well formed (checked by {@link JsonValidator} at
 * the input, or written by {@link LuaJsonWriter}) into Lua values, one level at a time: scalars
 * become Lua values, objects and arrays become {@link LazyJsonTable}s that decode their own level
 * only when a script first looks inside. Strings without escapes share the event's bytes instead of
 * copying them.
 */
public final class JsonDecoder {

    private JsonDecoder() {}

    /** Decodes the single value in {@code b[off, off+len)}; containers stay lazy. */
    public static LuaValue decode(byte[] b, int off, int len) {
        int end = off + len;
        int p = JsonValidator.skipWhitespace(b, off, end);
        // the value fills the range: trimming is enough, no need to scan it for its end
        int valueEnd = end;
        while (valueEnd > p && isWhitespace(b[valueEnd - 1])) {
            valueEnd--;
        }
        return decodeValue(b, p, valueEnd, null);
    }

    private static boolean isWhitespace(byte c) {
        return c == ' ' || c == '\n' || c == '\r' || c == '\t';
    }

    /** Decodes the value spanning {@code b[p, end)} exactly (no surrounding white space). */
    static LuaValue decodeValue(byte[] b, int p, int end, LazyJsonTable parent) {
        switch (b[p]) {
            case '{':
                return new LazyJsonTable(b, p, end, false, parent);
            case '[':
                return new LazyJsonTable(b, p, end, true, parent);
            case '"':
                return decodeString(b, p, end, false);
            case 't':
                return LuaValue.TRUE;
            case 'f':
                return LuaValue.FALSE;
            case 'n':
                return JsonNull.NULL;
            default:
                return decodeNumber(b, p, end);
        }
    }

    /**
     * Returns the position just after the value starting at p. Trusts the bytes: strings are
     * skipped by their quotes and escapes, containers by counting brackets outside strings.
     */
    static int skipValue(byte[] b, int p, int end) {
        byte c = b[p];
        if (c == '"') {
            return skipString(b, p);
        }
        if (c == '{' || c == '[') {
            int depth = 1;
            p++;
            while (depth > 0) {
                c = b[p];
                if (c == '"') {
                    p = skipString(b, p);
                    continue;
                }
                if (c == '{' || c == '[') {
                    depth++;
                } else if (c == '}' || c == ']') {
                    depth--;
                }
                p++;
            }
            return p;
        }
        while (p < end) {
            c = b[p];
            if (c == ',' || c == '}' || c == ']' || c == ' ' || c == '\n' || c == '\r'
                    || c == '\t') {
                break;
            }
            p++;
        }
        return p;
    }

    /** Returns the position after the closing quote of the string whose opening quote is at p. */
    static int skipString(byte[] b, int p) {
        p++;
        while (true) {
            byte c = b[p];
            if (c == '"') {
                return p + 1;
            }
            if (c == '\\') {
                p += 2;
            } else {
                p++;
            }
        }
    }

    /**
     * Decodes the string whose quotes span {@code b[p, end)}. Keys go through LuaJ's short string
     * cache (so {@code "event_type"} is the same LuaString every time); values without escapes
     * share the event's byte array.
     */
    static LuaString decodeString(byte[] b, int p, int end, boolean key) {
        int start = p + 1;
        int stop = end - 1;
        for (int i = start; i < stop; i++) {
            if (b[i] == '\\') {
                return unescape(b, start, stop);
            }
        }
        return key
                ? LuaString.valueOf(b, start, stop - start)
                : LuaString.valueUsing(b, start, stop - start);
    }

    private static LuaString unescape(byte[] b, int start, int stop) {
        byte[] out = new byte[stop - start];
        int n = 0;
        for (int i = start; i < stop; i++) {
            byte c = b[i];
            if (c != '\\') {
                out[n++] = c;
                continue;
            }
            c = b[++i];
            switch (c) {
                case 'b' -> out[n++] = '\b';
                case 'f' -> out[n++] = '\f';
                case 'n' -> out[n++] = '\n';
                case 'r' -> out[n++] = '\r';
                case 't' -> out[n++] = '\t';
                case 'u' -> {
                    int cp = hex4(b, i + 1);
                    i += 4;
                    if (cp >= 0xd800
                            && cp <= 0xdbff
                            && i + 6 < stop + 1
                            && b[i + 1] == '\\'
                            && b[i + 2] == 'u') {
                        int low = hex4(b, i + 3);
                        if (low >= 0xdc00 && low <= 0xdfff) {
                            cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
                            i += 6;
                        }
                    }
                    n = putUtf8(out, n, cp);
                }
                default -> out[n++] = c; // '"', '\\', '/'
            }
        }
        return LuaString.valueUsing(out, 0, n);
    }

    private static int hex4(byte[] b, int p) {
        int v = 0;
        for (int i = p; i < p + 4; i++) {
            v = (v << 4) | Character.digit(b[i], 16);
        }
        return v;
    }

    /** Writes cp as UTF-8; an escaped sequence is never longer than the escape itself. */
    private static int putUtf8(byte[] out, int n, int cp) {
        if (cp < 0x80) {
            out[n++] = (byte) cp;
        } else if (cp < 0x800) {
            out[n++] = (byte) (0xc0 | (cp >> 6));
            out[n++] = (byte) (0x80 | (cp & 0x3f));
        } else if (cp < 0x10000) {
            out[n++] = (byte) (0xe0 | (cp >> 12));
            out[n++] = (byte) (0x80 | ((cp >> 6) & 0x3f));
            out[n++] = (byte) (0x80 | (cp & 0x3f));
        } else {
            out[n++] = (byte) (0xf0 | (cp >> 18));
            out[n++] = (byte) (0x80 | ((cp >> 12) & 0x3f));
            out[n++] = (byte) (0x80 | ((cp >> 6) & 0x3f));
            out[n++] = (byte) (0x80 | (cp & 0x3f));
        }
        return n;
    }

    /**
     * Decodes a JSON number as Lua 5.1 would hold it: a double, kept as a LuaJ integer when it is
     * one. Integers of up to 18 digits are parsed without going through text; a 64-bit {@code
     * flow_id} beyond 2^53 loses precision here, which is why unchanged values are written back
     * from their original bytes.
     */
    static LuaValue decodeNumber(byte[] b, int p, int end) {
        int i = p;
        boolean negative = b[i] == '-';
        if (negative) {
            i++;
        }
        if (end - i <= 18) {
            long v = 0;
            int j = i;
            for (; j < end; j++) {
                int d = b[j] - '0';
                if (d < 0 || d > 9) {
                    break;
                }
                v = v * 10 + d;
            }
            if (j == end) {
                v = negative ? -v : v;
                return v == (int) v ? LuaInteger.valueOf((int) v) : LuaDouble.valueOf((double) v);
            }
        }
        return LuaValue.valueOf(
                Double.parseDouble(new String(b, p, end - p, StandardCharsets.US_ASCII)));
    }
}
