package org.dragonflymle.lua.budget;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

/**
 * {@code string.rep} that refuses, before allocating, a result larger than the running call may
 * still allocate (and, unbudgeted, larger than a quarter of the heap). The allocation budget is
 * otherwise checked between instructions, and {@code string.rep("x", 2^31-1)} is one instruction
 * that asks for 2 GiB at once: the heap ran out instead (and in config.lua the launcher died with a
 * bare OutOfMemoryError). The error starts as LuaJIT's does ({@code not enough memory}). Counts as
 * LuaJ converts them, which like LuaJIT makes {@code ("x"):rep(2^40)} an empty string (LuaJIT
 * truncates the count to 32 bits).
 */
public final class BoundedRep extends VarArgFunction {

    /** Past this a Java array cannot hold the string at all. */
    private static final long MAX_STRING = Integer.MAX_VALUE - 16;

    private final LuaValue rep;
    private final CallBudget budget;

    /** Replaces {@code string.rep} in {@code stringTable}. */
    public static void install(LuaValue stringTable, CallBudget budget) {
        stringTable.set("rep", new BoundedRep(stringTable.get("rep"), budget));
    }

    private BoundedRep(LuaValue rep, CallBudget budget) {
        this.rep = rep;
        this.budget = budget;
        this.name = "rep";
    }

    @Override
    public Varargs invoke(Varargs args) {
        long len = args.checkstring(1).length();
        long n = args.checkint(2);
        long sep = args.isnoneornil(3) ? 0 : args.checkstring(3).length();
        if (n > 1) {
            long size = len * n + sep * (n - 1);
            long remaining =
                    Math.min(
                            Math.min(MAX_STRING, Runtime.getRuntime().maxMemory() / 4),
                            budget.remainingBytes());
            if (size > remaining) {
                throw new LuaError(
                        "not enough memory (string.rep of "
                                + size
                                + " bytes exceeds what this "
                                + budget.what()
                                + " may still allocate)");
            }
        }
        return rep.invoke(args);
    }
}
