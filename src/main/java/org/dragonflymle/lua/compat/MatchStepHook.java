package org.dragonflymle.lua.compat;

/**
 * What the pattern matcher calls while it works, so that whoever runs the script can bound a
 * pattern that backtracks for a long time ({@code string.rep("a", 30) .. "b"} against {@code
 * ("a*"):rep(20)}). {@link #steps()} is called once every {@link #INTERVAL} steps of matching
 * (single-character tests and recursive calls); it may throw to abort the match, and the error
 * reaches the script like any Lua error. One hook belongs to one script instance; the matcher calls
 * it on the script's thread.
 */
@FunctionalInterface
public interface MatchStepHook {

    /** Steps of matching between two calls. */
    int INTERVAL = 1024;

    /** The default: matching is bounded only by the budget of the call around it. */
    MatchStepHook NONE = () -> {};

    /** Another {@link #INTERVAL} steps were taken. */
    void steps();
}
