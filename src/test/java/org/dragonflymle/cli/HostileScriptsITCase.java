package org.dragonflymle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.dragonflymle.testutils.HostileLua;
import org.dragonflymle.testutils.Launcher;
import org.dragonflymle.testutils.TestRoots;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hostile-script suite, against the real engine (the launcher's entry point, a MiniCluster, a
 * redis-server the launcher starts): an analyzer that tries every way found to hang, escape or
 * exhaust the engine, one hostile event per case among ordinary ones. Every hostile event must
 * become an error record saying why, every ordinary event must come out, the bounded job must end
 * by itself, and the JVM's threads and heap must be back near where they were.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class HostileScriptsITCase {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Each case: the Lua it runs, and what its error record must say. */
    private static final Map<String, String[]> CASES = new LinkedHashMap<>();

    static {
        hostile(
                "load-env",
                "load('while true do end', '=x', 't', {})()",
                "ran longer than its budget");
        hostile(
                "loadstring-setfenv",
                "local f = loadstring('while true do end'); setfenv(f, {}); f()",
                "ran longer than its budget");
        hostile(
                "load-nested-closure",
                "load('return function() while true do end end', '=y', 't', {})()()",
                "ran longer than its budget");
        hostile(
                "load-memory-bomb",
                "load('local t = {} for i = 1, 1e9 do t[i] = {i, i, i} end', '=z', 't', {})()",
                "budget");
        hostile(
                "coroutine-spin",
                "coroutine.resume(coroutine.create(function() while true do end end))",
                "ran longer than its budget");
        hostile(
                "coroutine-swallow",
                "while true do pcall(coroutine.wrap(function() while true do end end)) end",
                "ran longer than its budget");
        hostile(
                "coroutines-kept",
                "kept = kept or {} for i = 1, 30 do local co = coroutine.create(function()"
                        + " coroutine.yield() end) coroutine.resume(co) kept[#kept + 1] = co end",
                "live coroutines, its limit (limits.max_coroutines)");
        hostile("rep-2^31", "local s = ('x'):rep(2^31 - 1)", "not enough memory");
        hostile(
                "blpop-loop",
                "while true do conn:command('BLPOP', 'nothing', '1') end",
                "ran longer than its budget");
        hostile(
                "blpop-forever",
                "conn:command('BLPOP', 'nothing', '0')",
                "ran longer than its budget");
        hostile(
                "xread-block",
                "conn:command('XREAD', 'BLOCK', '0', 'STREAMS', 'nostream', '$')",
                "ran longer than its budget");
        hostile(
                "pipelined-blpop",
                "conn:append_command('BLPOP', 'nothing', '0') conn:get_reply()",
                "ran longer than its budget");
        hostile("shutdown", "local r = conn:command('SHUTDOWN') error(r.name)", "SHUTDOWN refused");
        hostile(
                "eval-flushall",
                "local r = conn:command('EVAL', \"return redis.call('FLUSHALL')\", 0) error(r.name)",
                "FLUSHALL refused");
        hostile(
                "eval-built-name",
                "local r = conn:command('EVAL', \"return redis.call(string.reverse('nwodtuhs'))\","
                        + " 0) error(r.name)",
                "not allowed from script");
        hostile(
                "eval-acl",
                "local r = conn:command('EVAL', \"return redis.call(string.reverse('llahsulf'))\","
                        + " 0) error(r.name)",
                "can't run this command");
        hostile(
                "http-rest-api",
                "dragonfly.http_get('http://127.0.0.1:8081/jobs', 'data/jobs.json')",
                "sandbox.http_allow");
        hostile(
                "http-over-config",
                "dragonfly.http_get('http://127.0.0.1:8081/', 'config/config.lua')",
                "outside ROOT/data");
        hostile(
                "unencodable-function",
                "dragonfly.output_event(default_output, {f = print})",
                "Cannot serialise function");
        hostile(
                "unencodable-cycle",
                "local t = {} t.t = t dragonfly.output_event(default_output, t)",
                "Cannot serialise");
        for (int i = 0; i < HostileLua.BACKTRACKING.size(); i++) {
            hostile("pattern-" + i, HostileLua.BACKTRACKING.get(i), "ran longer than its budget");
        }
        // Encoding 64 MiB of JSON takes about the 200 ms budget on a loaded machine: whichever
        // limit is reached first ends the call, and either is an error record.
        hostile(
                "shared-subtables-output",
                "local t = {1} for i = 1, 60 do t = {t, t} end"
                        + " dragonfly.output_event(default_output, t)",
                "JSON would be longer than 64 MiB",
                "ran longer than its budget");
        hostile(
                "shared-subtables-cjson",
                "local t = {1} for i = 1, 60 do t = {t, t} end cjson.encode(t)",
                "JSON would be longer than 64 MiB",
                "ran longer than its budget");
        hostile(
                "timer-flood",
                "for i = 1, 100 do dragonfly.timer_event('a', 3600, {n = i}) end",
                "its limit (limits.max_pending_timers)");
    }

    /** A case whose error record says one of {@code expected}. */
    private static void hostile(String name, String lua, String... expected) {
        String[] c = new String[expected.length + 1];
        c[0] = lua;
        System.arraycopy(expected, 0, c, 1, expected.length);
        CASES.put(name, c);
    }

    private Path root(Path dir, String analyzer, String extraConfig) throws Exception {
        Path root = dir.resolve("root");
        Files.createDirectories(root.resolve("config"));
        TestRoots.write(
                root,
                "config/config.lua",
                "redis_port = "
                        + freePort()
                        + "\n"
                        + extraConfig
                        + "\ninputs = { { tag=\"eve\", uri=\"file://"
                        + dir.resolve("in.jsonl")
                        + "\", script=\"f.lua\", default_analyzer=\"a\" } }\n"
                        + "analyzers = { { tag=\"a\", script=\"a.lua\", default_analyzer=\"\","
                        + " default_output=\"out\" } }\n"
                        + "outputs = { { tag=\"out\", uri=\"file://out.json\" } }\n");
        TestRoots.write(
                root,
                "filter/f.lua",
                "function loop(m) dragonfly.analyze_event(default_analyzer, m) end\n");
        TestRoots.write(root, "analyzer/a.lua", analyzer);
        return root;
    }

    @Test
    void everyHostileEventIsAnErrorRecordAndEveryOrdinaryOneIsDelivered(@TempDir Path dir)
            throws Exception {
        StringBuilder lua = new StringBuilder("local cases = {\n");
        for (Map.Entry<String, String[]> c : CASES.entrySet()) {
            lua.append("  [\"").append(c.getKey()).append("\"] = function() ");
            lua.append(c.getValue()[0]).append(" end,\n");
        }
        lua.append(
                """
                }
                function setup() conn = assert(hiredis.connect()) end
                function loop(msg)
                  if msg.case then
                    cases[msg.case]()
                    error("contained nothing: " .. msg.case)
                  end
                  dragonfly.output_event(default_output, msg)
                end
                """);
        Path root =
                root(
                        dir,
                        lua.toString(),
                        "limits = { max_pending_timers = 50, max_coroutines = 20 }");
        List<String> ordinary = new ArrayList<>();
        List<String> input = new ArrayList<>();
        int n = 0;
        for (String c : CASES.keySet()) {
            for (int i = 0; i < 3; i++) {
                String line = "{\"event_type\":\"dns\",\"n\":" + n++ + "}";
                ordinary.add(line);
                input.add(line);
            }
            input.add("{\"case\":\"" + c + "\"}");
        }
        TestRoots.writeLines(dir.resolve("in.jsonl"), input);

        // a warm-up run of ordinary events only: what a run leaves in the JVM anyway
        TestRoots.writeLines(dir.resolve("in.jsonl"), ordinary);
        Launcher.Result warm = Launcher.run(root, dir.resolve("warm"));
        assertThat(warm.exitCode()).as(warm.stderr()).isZero();
        long threadsBefore = settledThreads(Long.MAX_VALUE);
        java.util.Set<Thread> before = Thread.getAllStackTraces().keySet();
        long heapBefore = usedHeapAfterGc();

        TestRoots.writeLines(dir.resolve("in.jsonl"), input);
        long start = System.nanoTime();
        Launcher.Result run = Launcher.run(root, dir.resolve("logs"));
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(TestRoots.readLines(dir.resolve("logs/out.json")))
                .as("every ordinary event, once, in order")
                .containsExactlyElementsOf(ordinary);
        Map<String, String> errors = new LinkedHashMap<>();
        for (String line : TestRoots.readLines(dir.resolve("logs/dragonfly-errors.log"))) {
            JsonNode e = JSON.readTree(line);
            JsonNode c = e.get("event").get("case");
            assertThat(c).as(line).isNotNull();
            assertThat(
                            errors.put(
                                    c.asText(),
                                    e.get("reason").asText() + ": " + e.get("error").asText()))
                    .as("one error record per hostile event: " + line)
                    .isNull();
        }
        assertThat(errors.keySet()).containsExactlyInAnyOrderElementsOf(CASES.keySet());
        for (Map.Entry<String, String[]> c : CASES.entrySet()) {
            String error = errors.get(c.getKey());
            List<String> expected = List.of(c.getValue()).subList(1, c.getValue().length);
            assertThat(expected.stream().anyMatch(error::contains))
                    .as(c.getKey() + ": " + error + " says one of " + expected)
                    .isTrue();
            assertThat(error).as(c.getKey()).doesNotContain("contained nothing");
        }
        assertThat(errors.get("unencodable-function")).startsWith("unencodable: ");
        assertThat(errors.get("unencodable-cycle")).startsWith("unencodable: ");
        // each hostile call is cut at its 200 ms budget (a few seconds at most with the
        // watchdog's grace), on top of what the warm-up run took to start and end
        assertThat(seconds).as(run.stderr()).isLessThan(90);
        assertThat(settledThreads(threadsBefore + 5))
                .as(
                        "threads left: %s",
                        Thread.getAllStackTraces().keySet().stream()
                                .filter(t -> !before.contains(t))
                                .map(t -> t.getName() + " " + t.getState())
                                .toList())
                .isLessThanOrEqualTo(threadsBefore + 5);
        assertThat(usedHeapAfterGc()).isLessThan(heapBefore + (96L << 20));
    }

    @Test
    void anEndlessSetupFailsTheStartWithExitTwo(@TempDir Path dir) throws Exception {
        for (String setup :
                List.of(
                        "while true do end",
                        "load('while true do end', '=x', 't', {})()",
                        "local c = hiredis.connect() while true do c:command('BLPOP', 'k', '1') end")) {
            Path root =
                    root(
                            dir,
                            "function setup() " + setup + " end\nfunction loop(m) end\n",
                            "limits = { setup_budget_ms = 1500 }");
            TestRoots.writeLines(dir.resolve("in.jsonl"), List.of("{}"));
            Launcher.Result run = Launcher.run(root, dir.resolve("logs"));
            assertThat(run.exitCode()).as(run.stderr()).isEqualTo(2);
            assertThat(run.stderr())
                    .as(setup)
                    .contains(
                            "analyzer/a.lua: setup ran longer than its budget of 1500 ms (top-level"
                                    + " code and setup(); limits.setup_budget_ms)");
        }
    }

    @Test
    @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aTimerThatSetsTimersEndsWithTheReplay(@TempDir Path dir) throws Exception {
        // each delivery sets two more: without a stop at the input's end the job never ends
        Path root =
                root(
                        dir,
                        "function loop(m)\n"
                                + "  dragonfly.timer_event('a', 0, { t = 1 })\n"
                                + "  dragonfly.timer_event('a', 0, { t = 1 })\n"
                                + "  if not m.t then dragonfly.output_event(default_output, m) end\n"
                                + "end\n",
                        "");
        TestRoots.writeLines(
                dir.resolve("in.jsonl"), List.of("{\"n\":1}", "{\"n\":2}", "{\"n\":3}"));
        long t0 = System.nanoTime();
        Launcher.Result run = Launcher.run(root, dir.resolve("logs"));
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(Files.readAllLines(dir.resolve("logs/out.json"))).hasSize(3);
        assertThat(java.time.Duration.ofNanos(System.nanoTime() - t0))
                .isLessThan(java.time.Duration.ofSeconds(60));
    }

    @Test
    @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aKeyedStageWhoseTimersSetTimersEndsWithTheReplayToo(@TempDir Path dir) throws Exception {
        // the variant: a keyed stage, each firing sets two more for its key. Its timers are Flink's
        // per-key timers (fired in batches, one per due time and key), which did not keep the
        // chain's finish busy even before the end-of-input watermark stopped new timers
        Path root =
                root(
                        dir,
                        "function loop(m)\n"
                                + "  dragonfly.timer_event('a', 0, { n = m.n, t = 1 })\n"
                                + "  dragonfly.timer_event('a', 0, { n = m.n, t = 2 })\n"
                                + "  if not m.t then dragonfly.output_event(default_output, m) end\n"
                                + "end\n",
                        "");
        TestRoots.editConfig(
                root, "default_output=\"out\" } }", "key=\"n\", default_output=\"out\" } }");
        TestRoots.writeLines(
                dir.resolve("in.jsonl"),
                List.of("{\"n\":1}", "{\"n\":2}", "{\"n\":3}", "{\"n\":1}"));
        long t0 = System.nanoTime();
        Launcher.Result run = Launcher.run(root, dir.resolve("logs"));
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(Files.readAllLines(dir.resolve("logs/out.json"))).hasSize(4);
        assertThat(java.time.Duration.ofNanos(System.nanoTime() - t0))
                .isLessThan(java.time.Duration.ofSeconds(60));
    }

    private static int freePort() throws Exception {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Threads of this JVM once LuaJ's orphaned coroutine threads had time to notice and end. */
    private static long settledThreads(long target) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        long count;
        do {
            System.gc();
            Thread.sleep(500);
            count = ManagementFactory.getThreadMXBean().getThreadCount();
        } while (count > target && System.nanoTime() < deadline);
        return count;
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        System.gc();
        Thread.sleep(200);
        System.gc();
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }
}
