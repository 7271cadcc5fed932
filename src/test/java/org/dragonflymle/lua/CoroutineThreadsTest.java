package org.dragonflymle.lua;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.luaj.vm2.LuaValue;

/**
 * A coroutine the script keeps in its globals is reachable from its own thread's stack: LuaJ never
 * finds it orphaned. Closing the script ends those threads, whatever the body does once resumed.
 */
class CoroutineThreadsTest {

    @TempDir Path tmp;

    private static long coroutineThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("Coroutine-") && t.isAlive())
                .count();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "while true do coroutine.yield() end",
                "while true do pcall(coroutine.yield) end",
                "local y = coroutine.yield while true do y() end",
            })
    void closingTheScriptEndsTheThreadsOfItsSuspendedCoroutines(String body) throws Exception {
        ScriptFixture f = new ScriptFixture(tmp);
        long before = coroutineThreads();
        ScriptHost host =
                f.host(
                        "analyzer/keep.lua",
                        "kept = {}\nfunction loop(m)\n  for i = 1, 10 do\n"
                                + "    local co = coroutine.create(function() "
                                + body
                                + " end)\n    coroutine.resume(co)\n    kept[#kept + 1] = co\n"
                                + "  end\nend\n");
        host.setLoopBudget(10_000);
        host.start();
        host.loop(LuaValue.TRUE);
        assertThat(coroutineThreads()).isGreaterThanOrEqualTo(before + 10);
        host.close();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (coroutineThreads() > before && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(coroutineThreads()).isEqualTo(before);
    }
}
