package org.dragonflymle.config.loader;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaValue;

/** config.lua runs bounded and confined, and its failures name the line. */
class ConfigSandboxTest {

    @TempDir Path tmp;
    private ConfigFixture f;

    @BeforeEach
    void setUp() {
        f = new ConfigFixture(tmp);
    }

    @Test
    void syntaxErrorNamesTheLine() {
        f.config("redis_host = \"127.0.0.1\"\n\ninputs = {\n  { tag = = \"eve\" },\n}\n");
        assertThat(f.failure())
                .isEqualTo(f.configFile() + ":4: syntax error: unexpected symbol '='");
    }

    @Test
    void runtimeErrorNamesTheLine() {
        f.config("x = 1\nlocal t = nil\ninputs = t.inputs\n");
        assertThat(f.failure())
                .startsWith(f.configFile() + ":3: error while running it: attempt to index");
    }

    @Test
    void errorCalledByTheConfigIsReportedWithItsMessage() {
        f.config("x = 1\nerror(\"no analyzers today\")\n");
        assertThat(f.failure())
                .isEqualTo(f.configFile() + ":2: error while running it: no analyzers today");
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void endlessLoopFailsInsteadOfHanging() {
        f.config("x = 0\nwhile true do\n  x = x + 1\nend\n");
        // whichever bound comes first on this machine: the instruction count or the time
        assertThat(f.failure())
                .startsWith(f.configFile() + ": config.lua ")
                .containsPattern(
                        "did not finish within 10000000 Lua instructions|ran longer than its"
                                + " budget of 10000 ms")
                .endsWith(
                        "(an endless loop or a memory bomb? config.lua only declares the"
                                + " pipeline)");
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void endlessLoopInAChunkLoadedWithItsOwnEnvironmentFailsToo() {
        // LuaJ binds no debug hook to a chunk whose environment is not the globals
        f.config("load(\"while true do end\", \"=x\", \"t\", {})()\n");
        assertThat(f.failure()).containsPattern("did not finish within|ran longer than its budget");
        f.config(
                "local f = load(\"return function() while true do end end\", \"=x\", \"t\","
                        + " {})()\nf()\n");
        assertThat(f.failure()).containsPattern("did not finish within|ran longer than its budget");
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aPatternThatBacktracksFailsOnTheInstructionBudget() {
        // each step of matching counts as an instruction: the bound does not depend on the clock
        for (String lua : org.dragonflymle.testutils.HostileLua.BACKTRACKING) {
            f.config("x = 1\n" + lua + "\n");
            assertThat(f.failure())
                    .as(lua)
                    .isEqualTo(
                            f.configFile()
                                    + ": config.lua did not finish within 10000000 Lua instructions"
                                    + " (an endless loop or a memory bomb? config.lua only declares"
                                    + " the pipeline)");
        }
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void aHugeStringRepIsRefusedBeforeItFillsTheHeap() {
        f.config("x = string.rep(\"x\", 2^31-1)\n");
        assertThat(f.failure())
                .isEqualTo(f.configFile() + ":1: error while running it: not enough memory");
        f.config("x = (\"ab\"):rep(2^30)\n");
        assertThat(f.failure()).contains("not enough memory");
        f.config("x = (\"x\"):rep(2^40)\n");
        assertThat(f.failure()).contains("not enough memory");
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aMemoryBombFailsOnItsAllocationBudget() {
        f.config("t = {}\nlocal s = (\"x\"):rep(1000)\nfor i = 1, 1e9 do t[i] = s .. i end\n");
        assertThat(f.failure())
                .isEqualTo(
                        f.configFile()
                                + ": config.lua allocated more than its budget of 256 MiB (an"
                                + " endless loop or a memory bomb? config.lua only declares the"
                                + " pipeline)");
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void endlessLoopInsidePcallStillFails() {
        f.config("pcall(function() while true do end end)\n");
        assertThat(f.failure()).containsPattern("did not finish within|ran longer than its budget");
    }

    @Test
    void endlessRecursionFails() {
        f.config("local function f() return f() + 1 end\nf()\n");
        assertThat(f.failure())
                .isEqualTo(
                        f.configFile() + ": stack overflow while running it (endless recursion?)");
    }

    @Test
    void librariesOutsideTheSandboxAreNamed() {
        for (String call :
                new String[] {
                    "io.open('/etc/passwd')",
                    "os.exit(1)",
                    "require('x')",
                    "dofile('/etc/passwd')",
                    "loadfile('/etc/passwd')",
                    "luajava.bindClass('x')",
                    "debug.sethook()",
                    "coroutine.create(print)"
                }) {
            f.config("x = 1\n" + call + "\n");
            String name = call.substring(0, call.indexOf(call.contains(".") ? '.' : '('));
            assertThat(f.failure())
                    .as(call)
                    .isEqualTo(
                            f.configFile()
                                    + ":2: error while running it: "
                                    + name
                                    + " is not available in config.lua (it only declares the"
                                    + " pipeline)");
        }
    }

    @Test
    void unsetGlobalsAreStillNil() throws Exception {
        f.basicScripts()
                .config(
                        "if redis_tls == nil and os_name == nil then redis_db = 2 end\n"
                                + "inputs = { "
                                + ConfigFixture.INPUT
                                + " }\n"
                                + "analyzers = { "
                                + ConfigFixture.ANALYZER
                                + " }\n"
                                + "outputs = { "
                                + ConfigFixture.OUTPUT
                                + " }\n");
        assertThat(f.load().redis().database()).isEqualTo(2);
    }

    @Test
    void stringMetatableInstalledForTheConfigIsRemovedAfterwards() throws Exception {
        LuaValue before = LuaString.s_metatable;
        f.config("getmetatable('').__index.upper = nil\n");
        f.failure();
        assertThat(LuaString.s_metatable).isSameAs(before);
    }

    @Test
    void unknownGlobalsAreWarnedAbout() throws Exception {
        f.basicScripts()
                .config(
                        "redis_hots = \"10.0.0.1\"\nlocal helper = 1\n"
                                + "function mk(t) return t end\n"
                                + "inputs = { "
                                + ConfigFixture.INPUT
                                + " }\n"
                                + "analyzers = { "
                                + ConfigFixture.ANALYZER
                                + " }\n"
                                + "outputs = mk({ "
                                + ConfigFixture.OUTPUT
                                + " })\n");
        f.load();
        assertThat(f.warnings)
                .singleElement()
                .asString()
                .contains(f.configFile().toString(), "redis_hots")
                .doesNotContain("mk", "helper");
    }

    @Test
    void metamethodsDoNotRunAfterTheSandboxHasFinished() {
        f.config(
                "inputs = setmetatable({}, { __len = function() return 1 end,\n"
                        + "  __index = function() while true do end end })\n"
                        + "analyzers = {}\noutputs = {}\n");
        f.assertNames(f.failure(), "inputs is empty");
    }
}
