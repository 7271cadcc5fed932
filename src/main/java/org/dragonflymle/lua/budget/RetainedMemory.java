package org.dragonflymle.lua.budget;

import java.util.ArrayDeque;
import java.util.IdentityHashMap;
import java.util.Map;
import org.luaj.vm2.LuaClosure;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaThread;
import org.luaj.vm2.LuaUserdata;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Prototype;
import org.luaj.vm2.UpValue;
import org.luaj.vm2.Varargs;

/**
 * What one script instance keeps from call to call, measured: an estimate of the heap held by
 * everything reachable from its roots (its globals, its string metatable): tables with their
 * entries and metatables, strings, closures with their upvalues and compiled code, coroutines'
 * bodies. A call's garbage is not counted, only what is still reachable when the call returns.
 *
 * <p>The estimate follows HotSpot's layout with compressed pointers (a table entry about 40 bytes,
 * a string 40 bytes plus its bytes) and is meant to be within a factor of two of the real figure.
 * Not seen: the locals of a suspended coroutine (they live on its thread's Java stack; the number
 * of coroutines has its own limit) and what a Java library function holds, unless it is a {@link
 * Holder}.
 *
 * <p>When to measure is {@link #due}'s: after a call, once the calls since the last measurement
 * have allocated as much as could matter (memory can only be retained by allocating it), so that
 * the walk, which costs in proportion to what it walks, stays a small share of the script's own
 * work. Runs on the script's thread between calls; never during one.
 */
public final class RetainedMemory {

    static final long TABLE = 64;
    static final long ENTRY = 40;
    static final long STRING = 40;
    static final long CLOSURE = 40;
    static final long UPVALUE = 24;
    static final long THREAD = 1024;
    static final long USERDATA = 64;

    /** The least allocation between two measurements. */
    static final long MIN_ALLOCATION_BETWEEN = 16L << 20;

    /** Without a per-thread allocation counter: measure after this many calls. */
    static final int CALLS_BETWEEN = 10_000;

    /** Strings shorter than this are counted where they are referenced, not tracked one by one. */
    private static final int SHARED_STRING_BYTES = 64;

    private final long limitBytes;
    private long allocatedSince;
    private int callsSince;
    private long last;

    /** A Java function that holds Lua values of the script's (a coroutine's body): walked too. */
    public interface Holder {
        LuaValue held();
    }

    /** {@code limitBytes}: 0 for no limit. */
    public RetainedMemory(long limitBytes) {
        this.limitBytes = limitBytes;
    }

    public long limitBytes() {
        return limitBytes;
    }

    /** The last measurement, in bytes (0 before the first). */
    public long lastMeasured() {
        return last;
    }

    /**
     * Counts a finished call; whether it is time to measure. {@code allocated}: what the call
     * allocated on its thread, or -1 when that is not counted.
     */
    public boolean due(long allocated) {
        if (limitBytes <= 0) {
            return false;
        }
        callsSince++;
        if (allocated < 0) {
            return callsSince >= CALLS_BETWEEN;
        }
        allocatedSince += allocated;
        return allocatedSince >= Math.max(MIN_ALLOCATION_BETWEEN, Math.min(limitBytes, last) / 2);
    }

    /**
     * Measures what {@code roots} hold; stops counting once past the limit. Returns the estimate in
     * bytes, more than {@link #limitBytes} when the instance keeps too much.
     */
    public long measure(LuaValue... roots) {
        allocatedSince = 0;
        callsSince = 0;
        last = estimate(limitBytes > 0 ? limitBytes : Long.MAX_VALUE, roots);
        return last;
    }

    /** The whole estimate for {@code roots}, however large. */
    public static long estimateOf(LuaValue... roots) {
        return estimate(Long.MAX_VALUE, roots);
    }

    /** The estimate for {@code roots}, counted up to a little past {@code stopAbove}. */
    static long estimate(long stopAbove, LuaValue... roots) {
        Map<Object, Boolean> seen = new IdentityHashMap<>();
        ArrayDeque<LuaValue> todo = new ArrayDeque<>();
        for (LuaValue r : roots) {
            if (r != null) {
                todo.push(r);
            }
        }
        long bytes = 0;
        while (!todo.isEmpty() && bytes <= stopAbove) {
            LuaValue v = todo.pop();
            if (v.isstring() && v instanceof LuaString s) {
                if (s.m_length < SHARED_STRING_BYTES) {
                    bytes += STRING + s.m_length;
                } else if (seen.put(s, Boolean.TRUE) == null) {
                    bytes += STRING + s.m_length;
                }
                continue;
            }
            switch (v.type()) {
                case LuaValue.TTABLE -> {
                    if (seen.put(v, Boolean.TRUE) == null) {
                        bytes += table((LuaTable) v, todo);
                    }
                }
                case LuaValue.TFUNCTION -> {
                    if (seen.put(v, Boolean.TRUE) == null) {
                        bytes += CLOSURE;
                        if (v instanceof LuaClosure c) {
                            bytes += closure(c, seen, todo);
                        } else if (v instanceof Holder h && h.held() != null) {
                            todo.push(h.held());
                        }
                    }
                }
                case LuaValue.TTHREAD -> {
                    if (seen.put(v, Boolean.TRUE) == null) {
                        bytes += THREAD;
                        todo.push(((LuaThread) v).state.function);
                    }
                }
                case LuaValue.TUSERDATA -> {
                    if (seen.put(v, Boolean.TRUE) == null) {
                        bytes += USERDATA;
                        LuaValue mt = ((LuaUserdata) v).m_metatable;
                        if (mt != null) {
                            todo.push(mt);
                        }
                    }
                }
                default -> {
                    // numbers, booleans, nil: counted with the entry that holds them
                }
            }
        }
        return bytes;
    }

    private static long table(LuaTable t, ArrayDeque<LuaValue> todo) {
        long bytes = TABLE;
        LuaValue mt = t.getmetatable();
        if (mt != null) {
            todo.push(mt);
        }
        LuaValue k = LuaValue.NIL;
        while (true) {
            Varargs n = t.next(k);
            k = n.arg1();
            if (k.isnil()) {
                return bytes;
            }
            bytes += ENTRY;
            todo.push(k);
            todo.push(n.arg(2));
        }
    }

    private static long closure(
            LuaClosure c, Map<Object, Boolean> seen, ArrayDeque<LuaValue> todo) {
        long bytes = 0;
        for (UpValue u : c.upValues) {
            if (u != null) {
                bytes += UPVALUE;
                todo.push(u.getValue());
            }
        }
        return bytes + prototype(c.p, seen, todo);
    }

    private static long prototype(
            Prototype p, Map<Object, Boolean> seen, ArrayDeque<LuaValue> todo) {
        if (p == null || seen.put(p, Boolean.TRUE) != null) {
            return 0;
        }
        long bytes = 64 + 4L * p.code.length + (p.lineinfo != null ? 4L * p.lineinfo.length : 0);
        for (LuaValue k : p.k) {
            todo.push(k);
        }
        for (Prototype inner : p.p) {
            bytes += prototype(inner, seen, todo);
        }
        return bytes;
    }
}
