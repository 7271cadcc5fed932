package org.dragonflymle.lua;

/**
 * A script could not be started: it does not compile, its top-level code or {@code setup()} raised
 * an error or called {@code os.exit}, or it defines no {@code loop}. The message is complete and
 * meant for the user as is ({@code analyzer/x.lua:12: attempt to call nil}); the job must not
 * start.
 */
public class ScriptSetupException extends Exception {

    public ScriptSetupException(String message) {
        super(message);
    }

    public ScriptSetupException(String message, Throwable cause) {
        super(message, cause);
    }
}
