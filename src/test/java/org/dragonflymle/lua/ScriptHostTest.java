package org.dragonflymle.lua;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.dragonflymle.lua.api.ScriptContext;
import org.dragonflymle.lua.lib.DragonflyLib;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.luaj.vm2.LuaValue;

class ScriptHostTest {

    @TempDir Path tmp;

    @Test
    void runsTopLevelThenGlobalsThenSetupThenLoop() throws Exception {
        ScriptFixture f = new ScriptFixture(tmp);
        f.write(
                "analyzer/order.lua",
                "trace = { 'top:' .. tostring(default_analyzer) }\n"
                        + "function setup()\n"
                        + "  trace[#trace + 1] = 'setup:' .. default_analyzer .. ','"
                        + " .. default_output\n"
                        + "end\n"
                        + "function loop(msg)\n"
                        + "  trace[#trace + 1] = 'loop:' .. msg\n"
                        + "end\n");
        ScriptContext ctx =
                f.context(
                        "analyzer/order.lua",
                        Map.of("default_analyzer", "next", "default_output", "out"),
                        null);
        try (ScriptHost host = new ScriptHost(ctx, List.of(new DragonflyLib(f.router, ctx)))) {
            host.start();
            host.loop(LuaValue.valueOf("a"));
            host.loop(LuaValue.valueOf("b"));
            LuaValue trace = host.globals().get("trace");
            assertThat(List.of(trace.get(1), trace.get(2), trace.get(3), trace.get(4)))
                    .extracting(LuaValue::tojstring)
                    .containsExactly("top:nil", "setup:next,out", "loop:a", "loop:b");
        }
    }

    @Test
    void unconfiguredGlobalsAreAbsent() throws Exception {
        ScriptFixture f = new ScriptFixture(tmp);
        ScriptHost host =
                f.started(
                        "analyzer/g.lua",
                        "function setup() seen = tostring(default_analyzer) .. tostring(default_output) end\n"
                                + "function loop(m) end");
        assertThat(host.globals().get("seen").tojstring()).isEqualTo("nilnil");
    }

    @Test
    void setupIsOptional() throws Exception {
        ScriptFixture f = new ScriptFixture(tmp);
        ScriptHost host = f.started("analyzer/nosetup.lua", "n = 0 function loop(m) n = n + m end");
        host.loop(LuaValue.valueOf(5));
        assertThat(host.globals().get("n").toint()).isEqualTo(5);
    }

    @Test
    void errorInSetupNamesScriptAndLine() {
        ScriptFixture f = new ScriptFixture(tmp);
        ScriptHost host =
                f.host(
                        "analyzer/x.lua",
                        "function setup()\n  local a = 1\n  missing()\nend\nfunction loop(m) end\n");
        assertThatThrownBy(host::start)
                .isInstanceOf(ScriptSetupException.class)
                .hasMessageStartingWith("analyzer/x.lua:3: attempt to call");
    }

    @Test
    void errorInTopLevelNamesScriptAndLine() {
        ScriptFixture f = new ScriptFixture(tmp);
        ScriptHost host = f.host("analyzer/x.lua", "\n\nerror('bad config')\n");
        assertThatThrownBy(host::start)
                .isInstanceOf(ScriptSetupException.class)
                .hasMessage("analyzer/x.lua:3: bad config");
    }

    @Test
    void syntaxErrorNamesScriptAndLine() {
        ScriptFixture f = new ScriptFixture(tmp);
        ScriptHost host = f.host("analyzer/x.lua", "function loop(m)\n  local = 1\nend\n");
        assertThatThrownBy(host::start)
                .isInstanceOf(ScriptSetupException.class)
                .hasMessageStartingWith("analyzer/x.lua:2:");
    }

    @Test
    void osExitInSetupStopsTheScriptNotTheJvm() {
        ScriptFixture f = new ScriptFixture(tmp);
        ScriptHost host =
                f.host("analyzer/x.lua", "function setup() os.exit(1) end function loop(m) end");
        assertThatThrownBy(host::start)
                .isInstanceOf(ScriptSetupException.class)
                .hasMessage("analyzer/x.lua called os.exit(1) during setup");
    }

    @Test
    void osExitInTopLevelCannotBeSwallowedByPcall() {
        ScriptFixture f = new ScriptFixture(tmp);
        ScriptHost host = f.host("analyzer/x.lua", "pcall(os.exit, 3)\nfunction loop(m) end");
        assertThatThrownBy(host::start)
                .isInstanceOf(ScriptSetupException.class)
                .hasMessage("analyzer/x.lua called os.exit(3) while loading");
    }

    @Test
    void scriptWithoutLoopIsASetupError() {
        ScriptFixture f = new ScriptFixture(tmp);
        ScriptHost host = f.host("analyzer/x.lua", "function setup() end");
        assertThatThrownBy(host::start)
                .isInstanceOf(ScriptSetupException.class)
                .hasMessageContaining("analyzer/x.lua does not define a loop");
    }

    @Test
    void missingScriptFileIsASetupError() {
        ScriptFixture f = new ScriptFixture(tmp);
        ScriptContext ctx = f.context("analyzer/absent.lua", Map.of(), null);
        ScriptHost host = new ScriptHost(ctx, List.of());
        assertThatThrownBy(host::start)
                .isInstanceOf(ScriptSetupException.class)
                .hasMessageContaining("analyzer/absent.lua");
    }

    @Test
    void errorInLoopIsReportedAndTheNextEventWorks() throws Exception {
        ScriptFixture f = new ScriptFixture(tmp);
        ScriptHost host =
                f.started(
                        "analyzer/x.lua",
                        "count = 0\n"
                                + "function loop(msg)\n"
                                + "  if msg == 'bad' then\n"
                                + "    local t = nil\n"
                                + "    return t.field\n"
                                + "  end\n"
                                + "  count = count + 1\n"
                                + "end\n");
        host.loop(LuaValue.valueOf("ok"));
        assertThatThrownBy(() -> host.loop(LuaValue.valueOf("bad")))
                .isInstanceOf(ScriptException.class)
                .hasMessageStartingWith("analyzer/x.lua:5: attempt to index")
                .satisfies(
                        e ->
                                assertThat(((ScriptException) e).scriptName())
                                        .isEqualTo("analyzer/x.lua"));
        host.loop(LuaValue.valueOf("ok"));
        assertThat(host.globals().get("count").toint()).isEqualTo(2);
    }

    @Test
    void errorWithTableValueStillNamesTheScript() throws Exception {
        ScriptFixture f = new ScriptFixture(tmp);
        ScriptHost host = f.started("analyzer/x.lua", "function loop(m)\n error({code = 1})\nend");
        assertThatThrownBy(() -> host.loop(LuaValue.NIL))
                .isInstanceOf(ScriptException.class)
                .hasMessageStartingWith("analyzer/x.lua:2: table");
    }

    @Test
    void errorInRequiredModuleNamesModuleAndScript() throws Exception {
        ScriptFixture f = new ScriptFixture(tmp);
        f.write(
                "analyzer/utils.lua",
                "local M = {}\nfunction M.boom()\n  error('deep')\nend\nreturn M");
        ScriptHost host =
                f.started(
                        "analyzer/x.lua",
                        "local u = require 'analyzer/utils'\nfunction loop(m) u.boom() end");
        assertThatThrownBy(() -> host.loop(LuaValue.NIL))
                .isInstanceOf(ScriptException.class)
                .hasMessage("analyzer/x.lua: analyzer/utils.lua:3: deep");
    }

    @Test
    void osExitInLoopFailsOnlyThatEvent() throws Exception {
        ScriptFixture f = new ScriptFixture(tmp);
        ScriptHost host =
                f.started(
                        "analyzer/x.lua",
                        "n = 0 function loop(m) if m == 'exit' then os.exit(2) end n = n + 1 end");
        assertThatThrownBy(() -> host.loop(LuaValue.valueOf("exit")))
                .isInstanceOf(ScriptException.class)
                .hasMessage("analyzer/x.lua called os.exit(2) in loop");
        host.loop(LuaValue.valueOf("go"));
        assertThat(host.globals().get("n").toint()).isEqualTo(1);
    }

    @Test
    void osExitInsideACoroutineIsStillReported() throws Exception {
        ScriptFixture f = new ScriptFixture(tmp);
        ScriptHost host =
                f.started(
                        "analyzer/x.lua",
                        "function loop(m) coroutine.resume(coroutine.create(function() os.exit(4) end)) end");
        assertThatThrownBy(() -> host.loop(LuaValue.NIL))
                .isInstanceOf(ScriptException.class)
                .hasMessage("analyzer/x.lua called os.exit(4) in loop");
        assertThatThrownBy(() -> host.loop(LuaValue.NIL)).isInstanceOf(ScriptException.class);
    }

    @Test
    void stackOverflowInLoopIsAScriptError() throws Exception {
        ScriptFixture f = new ScriptFixture(tmp);
        ScriptHost host =
                f.started(
                        "analyzer/x.lua",
                        "local function r(n) return 1 + r(n + 1) end\n"
                                + "function loop(m) if m then r(1) end ok = true end");
        assertThatThrownBy(() -> host.loop(LuaValue.TRUE))
                .isInstanceOf(ScriptException.class)
                .hasMessageContaining("analyzer/x.lua")
                .hasMessageContaining("stack overflow");
        host.loop(LuaValue.FALSE);
        assertThat(host.globals().get("ok").toboolean()).isTrue();
    }

    @Test
    void luaErrorFromJavaCodeCarriesTheCallingLine() throws Exception {
        ScriptFixture f = new ScriptFixture(tmp);
        ScriptHost host =
                f.started(
                        "analyzer/x.lua",
                        "function loop(m)\n\n  dragonfly.analyze_event('a')\nend");
        assertThatThrownBy(() -> host.loop(LuaValue.NIL))
                .isInstanceOf(ScriptException.class)
                .hasMessage("analyzer/x.lua:3: analyze_event: expecting exactly 2 arguments");
    }

    @Test
    void loopBeforeStartOrAfterCloseIsRefused() throws Exception {
        ScriptFixture f = new ScriptFixture(tmp);
        ScriptHost host = f.host("analyzer/x.lua", "function loop(m) end");
        assertThatThrownBy(() -> host.loop(LuaValue.NIL)).isInstanceOf(IllegalStateException.class);
        host.start();
        host.close();
        assertThatThrownBy(() -> host.loop(LuaValue.NIL)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void modulesAreLoadedAfterTheStandardLibrariesInListOrder() throws Exception {
        ScriptFixture f = new ScriptFixture(tmp);
        f.write("analyzer/m.lua", ScriptFixture.EVALUATOR);
        ScriptContext ctx = f.context("analyzer/m.lua", Map.of(), null);
        LuaValue first =
                new org.luaj.vm2.lib.TwoArgFunction() {
                    @Override
                    public LuaValue call(LuaValue name, LuaValue env) {
                        LuaValue t = tableOf();
                        t.set("sawBit", valueOf(!env.get("bit").isnil()));
                        t.set("sawString", valueOf(!env.get("string").isnil()));
                        env.set("first", t);
                        env.get("package").get("loaded").set("first", t);
                        return t;
                    }
                };
        LuaValue second =
                new org.luaj.vm2.lib.TwoArgFunction() {
                    @Override
                    public LuaValue call(LuaValue name, LuaValue env) {
                        env.set("second", valueOf(!env.get("first").isnil()));
                        return NIL;
                    }
                };
        try (ScriptHost host = new ScriptHost(ctx, List.of(first, second))) {
            host.start();
            assertThat(ScriptFixture.evalString(host, "return require('first').sawBit"))
                    .isEqualTo("true");
            assertThat(host.globals().get("first").get("sawString").toboolean()).isTrue();
            assertThat(host.globals().get("second").toboolean()).isTrue();
        }
    }

    @Test
    void loopReceivesStringsNumbersAndTablesUnchanged() throws Exception {
        ScriptFixture f = new ScriptFixture(tmp);
        ScriptHost host = f.started("analyzer/x.lua", "function loop(m) last = type(m) end");
        host.loop(LuaValue.valueOf("s"));
        assertThat(host.globals().get("last").tojstring()).isEqualTo("string");
        host.loop(LuaValue.valueOf(1.5));
        assertThat(host.globals().get("last").tojstring()).isEqualTo("number");
        host.loop(LuaValue.tableOf());
        assertThat(host.globals().get("last").tojstring()).isEqualTo("table");
    }
}
