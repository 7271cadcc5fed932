package org.dragonflymle.lua;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.dragonflymle.testutils.HostileLua;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.lib.ZeroArgFunction;

/**
 * Scripts that try to step around the call budget, one host at a time (the same cases run through
 * the whole engine in {@code HostileScriptsITCase}). Every call must end with a script error close
 * to its budget, and the next call must run.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HostileScriptTest {

    @TempDir Path tmp;

    private static final String SCRIPT =
            """
            calls = 0
            function loop(msg)
              calls = calls + 1
              if msg == "load-env" then load("while true do end", "=x", "t", {})() end
              if msg == "loadstring-setfenv" then
                local f = loadstring("while true do end"); setfenv(f, {}); f()
              end
              if msg == "load-nested" then
                -- a loop that allocates nothing: only the time budget can end it
                local mk = load("return function() local x = true while x do x = not not x end end",
                                "=y", "t", {})
                mk()()
              end
              if msg == "load-bomb" then
                load("local t = {} for i = 1, 1e9 do t[i] = {i} end", "=z", "t", {})()
              end
              if msg == "coroutine" then
                coroutine.resume(coroutine.create(function() while true do end end))
              end
              if msg == "coroutine-swallow" then
                while true do
                  pcall(coroutine.wrap(function() while true do end end))
                end
              end
              if msg == "rep" then local s = ("x"):rep(2^31 - 1) end
              if msg == "rep-budget" then local s = string.rep("ab", 2^28) end
              if msg == "rep-2^40" then local s = ("x"):rep(2^40) end
              if msg == "keep-coroutines" then
                kept = kept or {}
                for i = 1, 300 do
                  local co = coroutine.create(function() coroutine.yield() end)
                  coroutine.resume(co)
                  kept[#kept + 1] = co
                end
              end
              if msg == "finished-coroutines" then
                for i = 1, 300 do
                  local co = coroutine.create(function() return 1 end)
                  coroutine.resume(co)
                end
              end
            end
            """;

    private ScriptHost host(ScriptFixture f) throws Exception {
        ScriptHost host = f.host("analyzer/hostile.lua", SCRIPT);
        host.setLoopBudget(100, 64L << 20);
        host.start();
        return host;
    }

    @Test
    void everyChunkLoaderRunsUnderTheBudget() throws Exception {
        ScriptFixture f = new ScriptFixture(tmp);
        try (ScriptHost host = host(f)) {
            for (String msg : List.of("load-env", "loadstring-setfenv", "load-nested")) {
                long start = System.nanoTime();
                assertThatThrownBy(() -> host.loop(LuaValue.valueOf(msg)))
                        .as(msg)
                        .isInstanceOf(ScriptException.class)
                        .hasMessage(
                                "analyzer/hostile.lua: loop ran longer than its budget of 100 ms");
                assertThat(Duration.ofNanos(System.nanoTime() - start))
                        .isLessThan(Duration.ofSeconds(5));
            }
            host.loop(LuaValue.valueOf("ok"));
        }
        try (ScriptHost host = f.host("analyzer/hostile.lua", SCRIPT)) {
            host.setLoopBudget(60_000, 64L << 20);
            host.start();
            assertThatThrownBy(() -> host.loop(LuaValue.valueOf("load-bomb")))
                    .hasMessage(
                            "analyzer/hostile.lua: loop allocated more than its budget of 64 MiB");
        }
    }

    @Test
    void aCoroutineCannotRunPastTheBudgetNorSwallowIt() throws Exception {
        ScriptFixture f = new ScriptFixture(tmp);
        try (ScriptHost host = host(f)) {
            for (String msg : List.of("coroutine", "coroutine-swallow")) {
                assertThatThrownBy(() -> host.loop(LuaValue.valueOf(msg)))
                        .as(msg)
                        .isInstanceOf(ScriptException.class)
                        .hasMessageContaining("ran longer than its budget of 100 ms");
            }
            host.loop(LuaValue.valueOf("ok"));
            assertThat(host.globals().get("calls").toint()).isEqualTo(3);
        }
    }

    @Test
    void aPatternThatBacktracksStopsAtTheBudget() throws Exception {
        ScriptFixture f = new ScriptFixture(tmp);
        try (ScriptHost host =
                f.host(
                        "analyzer/pattern.lua",
                        "function loop(m) assert(loadstring(m))() error('matched: ' .. m) end\n")) {
            host.setLoopBudget(100, 256L << 20);
            host.start();
            for (String lua : HostileLua.BACKTRACKING) {
                long start = System.nanoTime();
                assertThatThrownBy(() -> host.loop(LuaValue.valueOf(lua)))
                        .as(lua)
                        .hasMessage(
                                "analyzer/pattern.lua: loop ran longer than its budget of 100 ms");
                assertThat(Duration.ofNanos(System.nanoTime() - start))
                        .as(lua)
                        .isLessThan(Duration.ofSeconds(5));
            }
            assertThatThrownBy(() -> host.loop(LuaValue.valueOf("local x = ('a'):find('a')")))
                    .hasMessageContaining("matched: ");
        }
    }

    @Test
    void aHugeStringRepIsRefusedBeforeAllocating() throws Exception {
        ScriptFixture f = new ScriptFixture(tmp);
        try (ScriptHost host = host(f)) {
            // LuaJIT's message for a string it cannot build; ("x"):rep(2^40) was "" before
            for (String msg : List.of("rep", "rep-budget", "rep-2^40")) {
                assertThatThrownBy(() -> host.loop(LuaValue.valueOf(msg)))
                        .as(msg)
                        .hasMessageEndingWith("not enough memory");
            }
            host.loop(LuaValue.valueOf("ok"));
        }
    }

    @Test
    void liveCoroutinesAreBoundedAndFinishedOnesDoNotCount() throws Exception {
        ScriptFixture f = new ScriptFixture(tmp);
        try (ScriptHost host = f.host("analyzer/hostile.lua", SCRIPT)) {
            // a thread per coroutine takes time to start: a budget that lets them
            host.setLoopBudget(30_000, 64L << 20);
            host.start();
            host.loop(LuaValue.valueOf("finished-coroutines"));
            assertThat(host.liveCoroutines()).isZero();
            assertThatThrownBy(() -> host.loop(LuaValue.valueOf("keep-coroutines")))
                    .hasMessageContaining(
                            "analyzer/hostile.lua keeps 256 live coroutines, its limit"
                                    + " (limits.max_coroutines)");
            assertThat(host.liveCoroutines()).isEqualTo(256);
            host.loop(LuaValue.valueOf("ok"));
        }
    }

    @Test
    void anEndlessSetupFailsTheStartWithItsBudget() throws Exception {
        ScriptFixture f = new ScriptFixture(tmp);
        for (String setup :
                List.of(
                        "while true do end",
                        "load('while true do end', '=x', 't', {})()",
                        "coroutine.wrap(function() while true do end end)()")) {
            try (ScriptHost host =
                    f.host(
                            "analyzer/setup.lua",
                            "function setup() " + setup + " end\nfunction loop(m) end\n")) {
                host.setSetupBudget(200);
                assertThatThrownBy(host::start)
                        .as(setup)
                        .isInstanceOf(ScriptSetupException.class)
                        .hasMessageStartingWith(
                                "analyzer/setup.lua: setup ran longer than its budget of 200 ms");
            }
        }
        try (ScriptHost host = f.host("analyzer/top.lua", "while true do end\n")) {
            host.setSetupBudget(200);
            assertThatThrownBy(host::start).hasMessageContaining("budget of 200 ms");
        }
    }

    @Test
    void theWatchdogWakesACallBlockedInAWait() throws Exception {
        ScriptFixture f = new ScriptFixture(tmp);
        try (ScriptHost host = f.host("analyzer/wait.lua", "function loop(m) block() end\n")) {
            CountDownLatch woken = new CountDownLatch(1);
            host.globals()
                    .set(
                            "block",
                            new ZeroArgFunction() {
                                @Override
                                public LuaValue call() {
                                    host.budget().waitBegins(woken::countDown);
                                    try {
                                        // a wait no Lua instruction interrupts (a socket read)
                                        woken.await(30, TimeUnit.SECONDS);
                                    } catch (InterruptedException e) {
                                        throw new IllegalStateException(e);
                                    }
                                    host.budget().waitEnds();
                                    return NIL;
                                }
                            });
            host.setLoopBudget(100);
            host.start();
            List<String> stuck = new CopyOnWriteArrayList<>();
            host.startWatchdog(Duration.ofSeconds(10), stuck::add);
            long start = System.nanoTime();
            assertThatThrownBy(() -> host.loop(LuaValue.TRUE))
                    .hasMessage("analyzer/wait.lua: loop ran longer than its budget of 100 ms");
            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .isLessThan(Duration.ofSeconds(5));
            assertThat(stuck).isEmpty();
        }
    }

    @Test
    void aCallThatNeverPollsIsReportedStuckAfterTheGrace() throws Exception {
        ScriptFixture f = new ScriptFixture(tmp);
        List<String> stuck = new CopyOnWriteArrayList<>();
        try (ScriptHost host = f.host("analyzer/spin.lua", "function loop(m) spin() end\n")) {
            host.globals()
                    .set(
                            "spin",
                            new ZeroArgFunction() {
                                @Override
                                public LuaValue call() {
                                    // Java code that never polls, until the watchdog gives up
                                    long end = System.nanoTime() + 60_000_000_000L;
                                    while (stuck.isEmpty() && System.nanoTime() < end) {
                                        Thread.onSpinWait();
                                    }
                                    return NIL;
                                }
                            });
            host.setLoopBudget(100);
            host.start();
            host.startWatchdog(Duration.ofMillis(300), stuck::add);
            assertThatThrownBy(() -> host.loop(LuaValue.TRUE))
                    .hasMessage("analyzer/spin.lua: loop ran longer than its budget of 100 ms");
            assertThat(stuck)
                    .containsExactly(
                            "analyzer/spin.lua: loop ran past its budget of 100 ms and did not"
                                    + " stop within 300 ms after it was told to (stuck in code"
                                    + " that cannot be interrupted)");
        }
    }
}
