package org.dragonflymle.testutils;

import java.util.List;

/** Lua that tries to step around the call budget, shared by the unit and the engine suites. */
public final class HostileLua {

    private HostileLua() {}

    /**
     * Patterns that backtrack for minutes under luajit (each ran past 5 s there): the matcher runs
     * no Lua instruction, so it polls the budget itself. A function replacement that loops is Lua
     * and stops as any loop does.
     */
    public static final List<String> BACKTRACKING =
            List.of(
                    "string.find(('a'):rep(40000), '.-.-.-.-b')",
                    "string.find(('a'):rep(3000), 'a-a-a-a-a-a-c')",
                    "string.find(('('):rep(300000), '%b()')",
                    "for w in ('a'):rep(300000):gmatch('.-b') do end",
                    "string.gsub(('a'):rep(100000), 'a*a*b', '')",
                    "string.match(('a'):rep(40000), '(.-)%1b')",
                    "string.find(('ab'):rep(30000), '[ab]*[ab]*[ab]*c')",
                    "string.gsub(('x'):rep(10), '.', function() while true do end end)");
}
