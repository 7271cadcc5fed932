package org.dragonflymle.lua;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.luaj.vm2.LuaValue;

class CallBudgetTest {

    @TempDir Path tmp;

    private static final String SCRIPT =
            """
            calls = 0
            function loop(msg)
              calls = calls + 1
              if msg == "spin" then while true do end end
              if msg == "pcall" then pcall(function() while true do end end) end
            end
            """;

    @Test
    void anEndlessLoopIsAbortedAfterTheBudgetAndTheNextEventRuns() throws Exception {
        ScriptFixture f = new ScriptFixture(tmp);
        try (ScriptHost host = f.host("analyzer/spin.lua", SCRIPT)) {
            host.setLoopBudget(100);
            host.start();
            long start = System.nanoTime();
            assertThatThrownBy(() -> host.loop(LuaValue.valueOf("spin")))
                    .isInstanceOf(ScriptException.class)
                    .hasMessage("analyzer/spin.lua: loop ran longer than its budget of 100 ms");
            assertThat((System.nanoTime() - start) / 1_000_000).isBetween(90L, 5_000L);
            host.loop(LuaValue.valueOf("ok"));
            assertThat(host.globals().get("calls").toint()).isEqualTo(2);
        }
    }

    @Test
    void pcallCannotSwallowTheAbort() throws Exception {
        ScriptFixture f = new ScriptFixture(tmp);
        try (ScriptHost host = f.host("analyzer/spin.lua", SCRIPT)) {
            host.setLoopBudget(50);
            host.start();
            assertThatThrownBy(() -> host.loop(LuaValue.valueOf("pcall")))
                    .isInstanceOf(ScriptException.class)
                    .hasMessageContaining("budget of 50 ms");
        }
    }

    @Test
    void errorMessagesKeepTheirFormWithTheHookInstalled() throws Exception {
        ScriptFixture f = new ScriptFixture(tmp);
        try (ScriptHost host =
                f.host("analyzer/e.lua", "function loop(msg)\n  error('boom')\nend\n")) {
            host.setLoopBudget(100);
            host.start();
            assertThatThrownBy(() -> host.loop(LuaValue.TRUE)).hasMessage("analyzer/e.lua:2: boom");
        }
    }

    @Test
    void aTableBuiltWithoutEndIsAbortedAtTheMemoryBudgetAndTheNextEventRuns() throws Exception {
        ScriptFixture f = new ScriptFixture(tmp);
        String script =
                """
                kept = {}
                function loop(msg)
                  if msg == "table" then
                    local t = {}
                    for i = 1, 1e9 do t[i] = { i, tostring(i) } end
                  elseif msg == "strings" then
                    local s = string.rep("x", 16 * 1024 * 1024)
                    while true do kept[#kept + 1] = s .. #kept end
                  end
                  kept = {}
                end
                """;
        try (ScriptHost host = f.host("analyzer/bomb.lua", script)) {
            host.setLoopBudget(60_000, 64L << 20);
            host.start();
            assertThatThrownBy(() -> host.loop(LuaValue.valueOf("table")))
                    .isInstanceOf(ScriptException.class)
                    .hasMessage("analyzer/bomb.lua: loop allocated more than its budget of 64 MiB");
            assertThatThrownBy(() -> host.loop(LuaValue.valueOf("strings")))
                    .isInstanceOf(ScriptException.class)
                    .hasMessageContaining("budget of 64 MiB");
            host.loop(LuaValue.valueOf("ok"));
            assertThat(host.globals().get("kept").length()).isZero();
        }
    }

    @Test
    void anOrdinaryEventStaysFarBelowTheMemoryBudget() throws Exception {
        ScriptFixture f = new ScriptFixture(tmp);
        String script =
                """
                function loop(msg)
                  local t = {}
                  for i = 1, 1000 do t[i] = tostring(i) end
                  n = #table.concat(t, ",")
                end
                """;
        try (ScriptHost host = f.host("analyzer/ok.lua", script)) {
            host.setLoopBudget(60_000, 1L << 20);
            host.start();
            for (int i = 0; i < 1000; i++) {
                host.loop(LuaValue.valueOf("ok"));
            }
            assertThat(host.globals().get("n").toint()).isEqualTo(3892);
        }
    }

    @Test
    void anOutOfMemoryErrorInLoopFailsOnlyThatCall() throws Exception {
        ScriptFixture f = new ScriptFixture(tmp);
        String script =
                """
                calls = 0
                function loop(msg)
                  calls = calls + 1
                  if msg == "oom" then exhaust() end
                end
                """;
        try (ScriptHost host = f.host("analyzer/oom.lua", script)) {
            host.globals()
                    .set(
                            "exhaust",
                            new org.luaj.vm2.lib.ZeroArgFunction() {
                                @Override
                                public LuaValue call() {
                                    // What the JVM throws when one allocation cannot be met.
                                    throw new OutOfMemoryError("Java heap space");
                                }
                            });
            host.setLoopBudget(100, 64L << 20);
            host.start();
            assertThatThrownBy(() -> host.loop(LuaValue.valueOf("oom")))
                    .isInstanceOf(ScriptException.class)
                    .hasMessage("analyzer/oom.lua: loop ran out of memory");
            host.loop(LuaValue.valueOf("ok"));
            assertThat(host.globals().get("calls").toint()).isEqualTo(2);
        }
    }

    /**
     * The budget is the script thread's CPU time plus the waits the script asked for: time the
     * thread was not running (a busy machine, a collection stopping the JVM; here a sleep) is not
     * the script's, and a 100 ms budget does not fail a call that was off the CPU for 300 ms. The
     * watchdog, which verifies against the same clock, leaves it alone too.
     */
    @Test
    void timeOffTheCpuIsNotChargedButAWaitTheScriptAskedForIs() throws Exception {
        ScriptFixture f = new ScriptFixture(tmp);
        String script =
                """
                function loop(msg)
                  if msg == "off-cpu" then nap(false) end
                  if msg == "waited" then nap(true) end
                  local x = 0
                  for i = 1, 5000 do x = x + i end
                end
                """;
        try (ScriptHost host = f.host("analyzer/nap.lua", script)) {
            host.globals()
                    .set(
                            "nap",
                            new org.luaj.vm2.lib.OneArgFunction() {
                                @Override
                                public LuaValue call(LuaValue counted) {
                                    if (counted.toboolean()) {
                                        host.budget().waitBegins(null);
                                    }
                                    try {
                                        Thread.sleep(300);
                                    } catch (InterruptedException e) {
                                        throw new IllegalStateException(e);
                                    }
                                    if (counted.toboolean()) {
                                        host.budget().waitEnds();
                                    }
                                    return NIL;
                                }
                            });
            host.setLoopBudget(100);
            host.start();
            java.util.List<String> stuck = new java.util.concurrent.CopyOnWriteArrayList<>();
            host.startWatchdog(java.time.Duration.ofSeconds(30), stuck::add);
            host.loop(LuaValue.valueOf("off-cpu"));
            assertThatThrownBy(() -> host.loop(LuaValue.valueOf("waited")))
                    .hasMessage("analyzer/nap.lua: loop ran longer than its budget of 100 ms");
            host.loop(LuaValue.valueOf("off-cpu"));
            assertThat(stuck).isEmpty();
        }
    }
}
