package org.dragonflymle.lua.sandbox;

/**
 * Thrown by {@code os.exit}. An {@link Error} on purpose: LuaJ's {@code pcall} catches only
 * exceptions, so a script cannot swallow its own exit, and the host turns it into a script error
 * instead of stopping the JVM.
 */
public final class ScriptExit extends Error {

    private final String code;

    public ScriptExit(String code) {
        super("os.exit(" + code + ")", null, false, false);
        this.code = code;
    }

    /** The argument as the script passed it ({@code 1}, {@code true}), for messages. */
    public String code() {
        return code;
    }
}
