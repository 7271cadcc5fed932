package org.dragonflymle.lua.lib;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * The binary format of {@code marshal}: any Lua value without functions, to bytes and back.
 *
 * <p>Format, version 1. A header of three bytes, {@code 'D' 'M' 0x01} (magic and version), then one
 * value. A value is a tag byte and its payload:
 *
 * <pre>
 *   0x00 nil            0x01 false           0x02 true
 *   0x03 int32          4 bytes, big-endian (LuaJ's integer representation)
 *   0x04 double         8 bytes, big-endian IEEE 754 bits (NaN, infinities, -0 kept exactly)
 *   0x05 string         varint length, then the bytes
 *   0x06 table          varint n, then n values for keys 1..n (nil for holes),
 *                       varint m, then m key/value pairs for the other keys
 *   0x07 table ref      varint id: the id-th table (0-based, in order of first appearance)
 * </pre>
 *
 * A varint is an unsigned LEB128 number (7 bits per byte, low bits first). A table gets its id when
 * it is first written, before its contents, so shared sub-tables and cycles come back as the same
 * shape. Metatables are not kept. Tables nest at most {@value #MAX_DEPTH} deep.
 *
 * <p>Encoding a function, userdata or thread raises a Lua error; decoding anything that is not this
 * format raises a Lua error, never another exception.
 */
public final class MarshalCodec {

    public static final int VERSION = 1;
    static final int MAX_DEPTH = 1000;

    private static final int NIL_TAG = 0x00;
    private static final int FALSE_TAG = 0x01;
    private static final int TRUE_TAG = 0x02;
    private static final int INT_TAG = 0x03;
    private static final int DOUBLE_TAG = 0x04;
    private static final int STRING_TAG = 0x05;
    private static final int TABLE_TAG = 0x06;
    private static final int REF_TAG = 0x07;

    private MarshalCodec() {}

    public static LuaString encode(LuaValue value) {
        Encoder e = new Encoder();
        e.out.write('D');
        e.out.write('M');
        e.out.write(VERSION);
        e.value(value, 0);
        return LuaString.valueUsing(e.out.toByteArray());
    }

    public static LuaValue decode(LuaString data) {
        byte[] bytes = new byte[data.length()];
        data.copyInto(0, bytes, 0, bytes.length);
        Decoder d = new Decoder(bytes);
        try {
            if (bytes.length < 3 || bytes[0] != 'D' || bytes[1] != 'M') {
                throw new LuaError("marshal.decode: not marshal data");
            }
            if (bytes[2] != VERSION) {
                throw new LuaError("marshal.decode: unsupported version " + bytes[2]);
            }
            d.pos = 3;
            LuaValue v = d.value(0);
            if (d.pos != bytes.length) {
                throw new LuaError("marshal.decode: trailing bytes after the value");
            }
            return v;
        } catch (IndexOutOfBoundsException e) {
            throw new LuaError("marshal.decode: truncated data");
        }
    }

    private static final class Encoder {
        final ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        final Map<LuaValue, Integer> tables = new IdentityHashMap<>();

        void value(LuaValue v, int depth) {
            switch (v.type()) {
                case LuaValue.TNIL:
                    out.write(NIL_TAG);
                    break;
                case LuaValue.TBOOLEAN:
                    out.write(v.toboolean() ? TRUE_TAG : FALSE_TAG);
                    break;
                case LuaValue.TNUMBER:
                    if (v.isint()) {
                        out.write(INT_TAG);
                        fixed(v.toint(), 4);
                    } else {
                        out.write(DOUBLE_TAG);
                        fixed(Double.doubleToRawLongBits(v.todouble()), 8);
                    }
                    break;
                case LuaValue.TSTRING:
                    {
                        LuaString s = (LuaString) v;
                        out.write(STRING_TAG);
                        varint(s.length());
                        byte[] b = new byte[s.length()];
                        s.copyInto(0, b, 0, b.length);
                        out.write(b, 0, b.length);
                        break;
                    }
                case LuaValue.TTABLE:
                    table((LuaTable) v, depth);
                    break;
                default:
                    throw new LuaError("marshal.encode: cannot encode a " + v.typename());
            }
        }

        void table(LuaTable t, int depth) {
            Integer id = tables.get(t);
            if (id != null) {
                out.write(REF_TAG);
                varint(id);
                return;
            }
            if (depth >= MAX_DEPTH) {
                throw new LuaError("marshal.encode: tables nested too deep");
            }
            tables.put(t, tables.size());
            out.write(TABLE_TAG);
            int n = t.rawlen();
            varint(n);
            for (int i = 1; i <= n; i++) {
                value(t.rawget(i), depth + 1);
            }
            List<LuaValue> rest = new ArrayList<>();
            for (Varargs e = t.next(LuaValue.NIL); !e.arg1().isnil(); e = t.next(e.arg1())) {
                LuaValue k = e.arg1();
                if (!(k.isint() && k.toint() >= 1 && k.toint() <= n)) {
                    rest.add(k);
                    rest.add(e.arg(2));
                }
            }
            varint(rest.size() / 2);
            for (LuaValue kv : rest) {
                value(kv, depth + 1);
            }
        }

        void fixed(long v, int bytes) {
            for (int i = bytes - 1; i >= 0; i--) {
                out.write((int) (v >>> (8 * i)));
            }
        }

        void varint(int v) {
            while ((v & ~0x7f) != 0) {
                out.write((v & 0x7f) | 0x80);
                v >>>= 7;
            }
            out.write(v);
        }
    }

    private static final class Decoder {
        final byte[] in;
        int pos;
        final List<LuaTable> tables = new ArrayList<>();

        Decoder(byte[] in) {
            this.in = in;
        }

        LuaValue value(int depth) {
            int tag = in[pos++];
            switch (tag) {
                case NIL_TAG:
                    return LuaValue.NIL;
                case FALSE_TAG:
                    return LuaValue.FALSE;
                case TRUE_TAG:
                    return LuaValue.TRUE;
                case INT_TAG:
                    return LuaValue.valueOf((int) fixed(4));
                case DOUBLE_TAG:
                    return LuaValue.valueOf(Double.longBitsToDouble(fixed(8)));
                case STRING_TAG:
                    {
                        int len = count(1);
                        byte[] b = Arrays.copyOfRange(in, pos, pos + len);
                        pos += len;
                        return LuaString.valueUsing(b);
                    }
                case TABLE_TAG:
                    return table(depth);
                case REF_TAG:
                    {
                        int id = varint();
                        if (id >= tables.size()) {
                            throw new LuaError("marshal.decode: reference to an unknown table");
                        }
                        return tables.get(id);
                    }
                default:
                    throw new LuaError("marshal.decode: invalid tag " + (tag & 0xff));
            }
        }

        LuaTable table(int depth) {
            if (depth >= MAX_DEPTH) {
                throw new LuaError("marshal.decode: tables nested too deep");
            }
            int n = count(1);
            LuaTable t = new LuaTable(n, 0);
            tables.add(t);
            for (int i = 1; i <= n; i++) {
                LuaValue v = value(depth + 1);
                if (!v.isnil()) {
                    t.rawset(i, v);
                }
            }
            int m = count(2);
            for (int i = 0; i < m; i++) {
                LuaValue k = value(depth + 1);
                LuaValue v = value(depth + 1);
                if (k.isnil() || (k.isnumber() && Double.isNaN(k.todouble()))) {
                    throw new LuaError("marshal.decode: invalid table key");
                }
                t.rawset(k, v);
            }
            return t;
        }

        /** A varint that counts items of at least {@code minBytes} each: bounded by the input. */
        int count(int minBytes) {
            int c = varint();
            if (c < 0 || (long) c * minBytes > in.length - pos) {
                throw new LuaError("marshal.decode: truncated data");
            }
            return c;
        }

        int varint() {
            int v = 0;
            for (int shift = 0; shift < 35; shift += 7) {
                int b = in[pos++];
                v |= (b & 0x7f) << shift;
                if ((b & 0x80) == 0) {
                    return v;
                }
            }
            throw new LuaError("marshal.decode: invalid length");
        }

        long fixed(int bytes) {
            long v = 0;
            for (int i = 0; i < bytes; i++) {
                v = (v << 8) | (in[pos++] & 0xff);
            }
            return v;
        }
    }
}
