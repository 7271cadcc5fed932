package org.dragonflymle.lua.api;

/**
 * The clock of a {@code loop} call's time budget as a module sees it: time the module spent waiting
 * outside Lua (a Redis round trip) is handed back, so the budget bounds the script's own running
 * time only. The host installs the budget as the script's debug library; a module finds it there
 * ({@code globals.debuglib instanceof UncountedTime}) and never needs the host's class.
 */
public interface UncountedTime {

    /** Excludes {@code nanos} of waiting from the current call's budget (no-op between calls). */
    void notCounting(long nanos);
}
