package org.dragonflymle.lua;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.luaj.vm2.LuaValue;

/**
 * limits.max_retained_mb: what a script instance keeps across calls is measured from time to time
 * after its calls, wherever it keeps it; garbage does not count.
 */
class RetainedMemoryTest {

    @TempDir Path tmp;

    private static final long MIB = 1 << 20;

    /** Every shape adds about 1 MiB that stays reachable, per event. */
    @ParameterizedTest
    @ValueSource(
            strings = {
                // a global table
                "keep = {} function loop(m) keep[#keep + 1] = ('x'):rep(1048576) .. #keep end",
                // an upvalue of loop
                "local keep = {} function loop(m) keep[#keep + 1] = ('x'):rep(1048576) .. #keep"
                        + " end",
                // behind a metatable
                "local keep = {} local t = setmetatable({}, {__index = keep})"
                        + " function loop(m) keep[#keep + 1] = ('x'):rep(1048576) .. #keep end",
                // many small tables
                "keep = {} function loop(m) for i = 1, 12000 do keep[#keep + 1] = {i} end end",
                // the upvalue of a coroutine's body
                "local keep = {} co = coroutine.create(function() while true do"
                        + " keep[#keep + 1] = ('x'):rep(1048576) .. #keep coroutine.yield() end end)"
                        + " function loop(m) coroutine.resume(co) end",
                // keys, not values
                "keep = {} n = 0 function loop(m) n = n + 1 keep[('y'):rep(1048576) .. n] = true end",
            })
    void aScriptThatKeepsGrowingStopsNamingTheLimit(String script) throws Exception {
        ScriptFixture f = new ScriptFixture(tmp);
        try (ScriptHost host = f.host("analyzer/grow.lua", script + "\n")) {
            host.setLoopBudget(10_000, 256 * MIB);
            host.setRetainedLimit(32 * MIB);
            host.start();
            int events = 0;
            RetainedMemoryExceeded stopped = null;
            while (stopped == null && events < 300) {
                try {
                    host.loop(LuaValue.valueOf(events++));
                } catch (RetainedMemoryExceeded e) {
                    stopped = e;
                }
            }
            assertThat(stopped).as("stopped after " + events + " events").isNotNull();
            assertThat(stopped.getMessage())
                    .startsWith("analyzer/grow.lua: keeps more than ")
                    .endsWith(
                            "MiB across calls (after a call), more than limits.max_retained_mb"
                                    + " = 32");
            // measured at least every 16 MiB of allocation: found before 64 MiB were kept
            assertThat(events).isBetween(10, 64);
        }
    }

    @Test
    void garbageDoesNotCountHoweverMuchOfItThereIs() throws Exception {
        ScriptFixture f = new ScriptFixture(tmp);
        String script =
                """
                seen = 0
                function loop(m)
                  local t = {}
                  for i = 1, 20000 do t[i] = tostring(i) .. ('z'):rep(100) end
                  seen = seen + 1
                end
                """;
        try (ScriptHost host = f.host("analyzer/churn.lua", script)) {
            host.setLoopBudget(10_000, 256 * MIB);
            host.setRetainedLimit(32 * MIB);
            host.start();
            for (int i = 0; i < 100; i++) { // some 300 MiB allocated in all
                host.loop(LuaValue.valueOf(i));
            }
            assertThat(host.retainedBytes()).as("measured, and small").isBetween(1L, 2 * MIB);
        }
    }

    @Test
    void setupThatKeepsTooMuchStopsTheStart() throws Exception {
        ScriptFixture f = new ScriptFixture(tmp);
        try (ScriptHost host =
                f.host(
                        "analyzer/big.lua",
                        "model = {} for i = 1, 40 do model[i] = ('m'):rep(1048576) .. i end\n"
                                + "function loop(m) end\n")) {
            host.setRetainedLimit(32 * MIB);
            assertThatThrownBy(host::start)
                    .isInstanceOf(ScriptSetupException.class)
                    .hasMessageContaining("analyzer/big.lua: keeps more than")
                    .hasMessageContaining("(after setup), more than limits.max_retained_mb = 32");
        }
    }

    /** The estimate is meant to be within a factor of two of the heap the script really holds. */
    @Test
    void theEstimateIsCloseToTheHeapReallyHeld() throws Exception {
        ScriptFixture f = new ScriptFixture(tmp);
        String script =
                """
                keep = {}
                function loop(m)
                  for i = 1, 100000 do
                    keep['k' .. i .. '/' .. m] = {n = i, s = 'value ' .. i}
                  end
                end
                """;
        try (ScriptHost host = f.host("analyzer/real.lua", script)) {
            host.setLoopBudget(60_000, 1024 * MIB);
            host.setRetainedLimit(1024 * MIB);
            host.start();
            host.loop(LuaValue.valueOf(-1)); // warm up: the measurement's own classes
            long before = heapAfterGc();
            for (int i = 0; i < 4; i++) {
                host.loop(LuaValue.valueOf(i));
            }
            long real = heapAfterGc() - before;
            long estimate = org.dragonflymle.lua.budget.RetainedMemory.estimateOf(host.globals());
            long estimateOfFour = estimate * 4 / 5; // the warm-up call's fifth was there before
            assertThat(estimateOfFour)
                    .as("estimate vs %d bytes really held", real)
                    .isBetween(real / 2, real * 2);
        }
    }

    private static long heapAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
