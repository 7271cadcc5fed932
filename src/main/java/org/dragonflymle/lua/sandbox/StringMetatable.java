package org.dragonflymle.lua.sandbox;

import org.dragonflymle.lua.budget.CallBudget;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.StringLib;

/**
 * Gives every script its own string metatable although LuaJ has only one per JVM.
 *
 * <p>LuaJ looks up methods on strings ({@code ("x"):upper()}) through the static {@link
 * LuaString#s_metatable}, shared by every Lua state in the JVM. Scripts that extend {@code string}
 * ({@code function string.trim(s) ... end}) must see their own functions, and must not be able to
 * change what another script sees. This class is that static metatable: a table that forwards every
 * access to the metatable of the script running on the current thread, which {@link #enter} sets
 * and {@link #exit} restores (hosts nest when operators are chained on one thread). On a thread
 * where no script runs it forwards to a read-only table over the standard string library.
 *
 * <p>This is the one piece of static mutable state of the Lua runtime: {@link #install()} puts the
 * forwarder in place once per JVM, and the per-thread pointer costs one {@link ThreadLocal} lookup
 * per host entry and per string metatable access.
 */
public final class StringMetatable extends LuaTable {

    /**
     * The current thread's pointer: the running script's own string metatable, or null; and the
     * budget of the running call, so that a host nested in another's call (chained operators) can
     * tell the outer call what was not its own.
     */
    public static final class Slot {
        LuaTable current;
        CallBudget budget;

        /** Makes {@code b} the running call's budget; returns the one it replaces (or null). */
        public CallBudget enterBudget(CallBudget b) {
            CallBudget previous = budget;
            budget = b;
            return previous;
        }

        /** Restores what {@link #enterBudget} replaced. */
        public void exitBudget(CallBudget previous) {
            budget = previous;
        }
    }

    private static final ThreadLocal<Slot> SLOT = ThreadLocal.withInitial(Slot::new);
    private static final StringMetatable INSTANCE = new StringMetatable();
    private static final LuaTable DEFAULT = defaultMetatable();

    private StringMetatable() {}

    /** Makes the forwarder LuaJ's string metatable; idempotent and thread-safe. */
    public static synchronized void install() {
        if (LuaString.s_metatable != INSTANCE) {
            LuaString.s_metatable = INSTANCE;
        }
    }

    /** The current thread's slot; a host looks it up once per call and passes it on. */
    public static Slot slot() {
        return SLOT.get();
    }

    /** Sets the current thread's string metatable; returns the one it replaces. */
    public static LuaTable enter(Slot slot, LuaTable metatable) {
        if (LuaString.s_metatable != INSTANCE) {
            // someone (a LuaJ StringLib, code that saved and restored the field) replaced it
            install();
        }
        LuaTable previous = slot.current;
        slot.current = metatable;
        return previous;
    }

    /** Restores what {@link #enter} replaced. */
    public static void exit(Slot slot, LuaTable previous) {
        slot.current = previous;
    }

    /** A script's own string metatable: {@code {__index = string}} like Lua's. */
    public static LuaTable newMetatable(LuaValue stringLib) {
        LuaTable mt = new LuaTable();
        mt.rawset(INDEX, stringLib);
        return mt;
    }

    private static LuaTable defaultMetatable() {
        LuaTable env = new LuaTable();
        LuaTable pkg = new LuaTable();
        pkg.set("loaded", new LuaTable());
        env.set("package", pkg);
        new StringLib().call(LuaValue.valueOf("string"), env);
        return new ReadOnlyTable(newMetatable(new ReadOnlyTable(env.get("string").checktable())));
    }

    private static LuaTable target() {
        LuaTable t = SLOT.get().current;
        return t != null ? t : DEFAULT;
    }

    // Every entry point of LuaTable a script can reach is forwarded.

    @Override
    public LuaValue getmetatable() {
        return target().getmetatable();
    }

    @Override
    public LuaValue setmetatable(LuaValue metatable) {
        return target().setmetatable(metatable);
    }

    @Override
    public LuaValue get(int key) {
        return target().get(key);
    }

    @Override
    public LuaValue get(LuaValue key) {
        return target().get(key);
    }

    @Override
    public LuaValue rawget(int key) {
        return target().rawget(key);
    }

    @Override
    public LuaValue rawget(LuaValue key) {
        return target().rawget(key);
    }

    @Override
    public void set(int key, LuaValue value) {
        target().set(key, value);
    }

    @Override
    public void set(LuaValue key, LuaValue value) {
        target().set(key, value);
    }

    @Override
    public void rawset(int key, LuaValue value) {
        target().rawset(key, value);
    }

    @Override
    public void rawset(LuaValue key, LuaValue value) {
        target().rawset(key, value);
    }

    @Override
    public void hashset(LuaValue key, LuaValue value) {
        target().hashset(key, value);
    }

    @Override
    public Varargs next(LuaValue key) {
        return target().next(key);
    }

    @Override
    public Varargs inext(LuaValue key) {
        return target().inext(key);
    }

    @Override
    public int length() {
        return target().length();
    }

    @Override
    public LuaValue len() {
        return target().len();
    }

    @Override
    public int rawlen() {
        return target().rawlen();
    }

    @Override
    public LuaValue[] keys() {
        return target().keys();
    }

    @Override
    public int keyCount() {
        return target().keyCount();
    }

    @Override
    public void insert(int pos, LuaValue value) {
        target().insert(pos, value);
    }

    @Override
    public LuaValue remove(int pos) {
        return target().remove(pos);
    }

    @Override
    public LuaValue concat(LuaString sep, int i, int j) {
        return target().concat(sep, i, j);
    }

    @Override
    public void sort(LuaValue comparator) {
        target().sort(comparator);
    }

    @Override
    public Varargs unpack() {
        return target().unpack();
    }

    @Override
    public Varargs unpack(int i) {
        return target().unpack(i);
    }

    @Override
    public Varargs unpack(int i, int j) {
        return target().unpack(i, j);
    }

    @Override
    public void presize(int narray) {}

    @Override
    public void presize(int narray, int nhash) {}
}
