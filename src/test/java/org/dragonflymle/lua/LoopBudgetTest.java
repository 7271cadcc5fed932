package org.dragonflymle.lua;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.luaj.vm2.LuaValue;

class LoopBudgetTest {

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
}
