package org.dragonflymle.lua.sandbox;

/**
 * The per-script switches the sandboxed libraries consult: whether {@code io} may still be used
 * (top level and {@code setup()} only) and whether the script asked to exit. Only the host's thread
 * (and coroutines it resumes, which run while it waits) touches it.
 */
public final class SandboxState {

    private volatile boolean ioAllowed = true;
    private volatile ScriptExit exit;

    public boolean ioAllowed() {
        return ioAllowed;
    }

    /** Called once {@code setup()} returned: from now on every {@code io} function fails. */
    public void closeIo() {
        ioAllowed = false;
    }

    /**
     * Remembers an {@code os.exit} so the host sees it even when it was thrown inside a coroutine
     * (whose thread turns every throwable into a resume error).
     */
    void exitRequested(ScriptExit e) {
        exit = e;
    }

    /** The pending exit request, cleared by this call; {@code null} when there is none. */
    public ScriptExit takeExit() {
        ScriptExit e = exit;
        exit = null;
        return e;
    }
}
