package org.dragonflymle.lua.budget;

import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaClosure;
import org.luaj.vm2.LuaFunction;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Prototype;
import org.luaj.vm2.UpValue;

/**
 * Makes every chunk a script loads ({@code load}, {@code loadstring}, {@code dofile}, {@code
 * require}) run under its globals' debug hook, whatever environment it is given.
 *
 * <p>LuaJ calls the debug hook only from closures whose environment <em>is</em> a {@link Globals}:
 * {@code load("while true do end", "=x", "t", {})} made a closure without the hook, and with it an
 * endless loop no budget saw (and every closure defined inside that chunk inherits the lack). This
 * loader builds each closure on the script's own globals, so LuaJ binds the hook, and then points
 * its {@code _ENV} at the environment the script asked for, which is all Lua can observe.
 */
public final class HookedLoader implements Globals.Loader {

    private final Globals globals;

    public HookedLoader(Globals globals) {
        this.globals = globals;
    }

    @Override
    public LuaFunction load(Prototype prototype, String chunkname, LuaValue env) {
        LuaClosure closure = new LuaClosure(prototype, globals);
        if (env != globals && closure.upValues.length > 0) {
            closure.upValues[0] = new UpValue(new LuaValue[] {env}, 0);
        }
        return closure;
    }
}
