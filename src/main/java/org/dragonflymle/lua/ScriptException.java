package org.dragonflymle.lua;

/**
 * A call into a script failed: a Lua error, {@code os.exit}, use of {@code io} in {@code loop}, a
 * stack overflow or an error raised by Java code the script called. The message names the script
 * and, where Lua knows it, the line ({@code analyzer/x.lua:12: attempt to call nil}). The host that
 * threw stays usable: the operator sends the event to the error output and goes on.
 */
public class ScriptException extends Exception {

    private final String scriptName;

    public ScriptException(String scriptName, String message, Throwable cause) {
        super(message, cause);
        this.scriptName = scriptName;
    }

    /** The script as messages name it, e.g. {@code analyzer/triage.lua}. */
    public String scriptName() {
        return scriptName;
    }
}
