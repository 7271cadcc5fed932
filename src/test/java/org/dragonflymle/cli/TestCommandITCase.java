package org.dragonflymle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.dragonflymle.testutils.TestRoots;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dragonfly-mle test} as an analyst uses it: real scripts, a real throwaway redis-server,
 * the report on stdout, the exit status.
 */
class TestCommandITCase {

    @TempDir Path dir;

    record Run(int exit, String out, String err) {}

    private static Run test(Path root, String... names) {
        List<String> args = new ArrayList<>(List.of("-r", root.toString()));
        args.addAll(List.of(names));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
                PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            exit = TestCommand.run(args.toArray(new String[0]), o, e);
        }
        return new Run(
                exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Path helloWorld() {
        TestRoots.copyExample("data", dir);
        return TestRoots.copyExample("hello-world", dir);
    }

    @Test
    void theExamplesOwnTestsPass() {
        Run run = test(helloWorld());

        assertThat(run.exit()).as(run.out() + run.err()).isZero();
        assertThat(run.out())
                .contains("PASS tests/counter.lua test 1")
                .endsWith("3 passed, 0 failed\n");
        Run pass = test(TestRoots.copyExample("passthrough", dir));
        assertThat(pass.exit()).as(pass.out() + pass.err()).isZero();
    }

    @Test
    void aBrokenScriptFailsNamingTheOutputTheEventAndTheField() {
        Path root = helloWorld();
        TestRoots.write(
                root,
                "analyzer/event-type-counter.lua",
                """
                local redis
                function setup() redis = hiredis.connect() end
                function loop(msg)
                  redis:command("INCR", "dragonfly:event_type:" .. msg.event_type)
                  msg.event_type = "oops"
                  dragonfly.output_event(default_output, msg)
                end
                """);

        Run run = test(root, "counter");

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out())
                .contains("FAIL tests/counter.lua test 1 (counts events per event_type")
                .contains(
                        "output \"events\", event 1 of 3 (from events[1], sent by counter):\n"
                                + "     field event_type: expected \"dns\", got \"oops\"")
                .contains("actual: {\"event_type\":\"oops\"")
                .endsWith("0 passed, 3 failed\n");
    }

    @Test
    void aLuaErrorInLoopIsReportedWithScriptAndLineUnlessErrorsAreExpected() {
        Path root = helloWorld();
        TestRoots.write(
                root,
                "analyzer/event-type-counter.lua",
                "function loop(msg)\n  error('no luck with ' .. msg.event_type)\nend\n");

        Run run = test(root);

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out())
                .contains("output \"events\": expected 3 events, got 0")
                .contains("3 unexpected error records")
                .contains(
                        "from events[1]: counter (analyzer/event-type-counter.lua): script_error:"
                                + " analyzer/event-type-counter.lua:2: no luck with dns");
    }

    @Test
    void timersFireOnTheVirtualClockOnlyWhenTheTestLetsTimePass() {
        Path root = timerRoot();
        TestRoots.write(
                root,
                "tests/window.lua",
                """
                return {
                  { name = "nothing before the minute is up",
                    events = { {n = 1}, {n = 2}, tick(59) },
                    expect = { outputs = { totals = {} } } },
                  { name = "one total after it",
                    events = { {n = 1}, {n = 2}, tick(59), {n = 4}, tick(1) },
                    advance = 60,
                    expect = {
                      outputs = { totals = { { sum = 7, at = 60 }, { sum = 0, at = 120 } } },
                      analyzers = { window = { count = 5 } },
                    } },
                }
                """);

        Run run = test(root);

        assertThat(run.exit()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("2 passed, 0 failed");
    }

    private Path timerRoot() {
        Path root = dir.resolve("timers");
        TestRoots.write(
                root,
                "config/config.lua",
                """
                inputs = { { tag="in", uri="file:///dev/null", script="in.lua", default_analyzer="window" } }
                analyzers = { { tag="window", script="window.lua", default_analyzer="", default_output="totals" } }
                outputs = { { tag="totals", uri="file://totals.json" } }
                """);
        TestRoots.write(
                root,
                "filter/in.lua",
                "function loop(msg) dragonfly.analyze_event(default_analyzer, msg) end\n");
        TestRoots.write(
                root,
                "analyzer/window.lua",
                """
                local sum, armed, minutes = 0, false, 0
                function loop(msg)
                  if msg.flush then
                    minutes = minutes + 1
                    dragonfly.output_event(default_output, { sum = sum, at = minutes * 60 })
                    sum = 0
                    dragonfly.timer_event("window", 60, { flush = true })
                    return
                  end
                  sum = sum + msg.n
                  if not armed then
                    armed = true
                    dragonfly.timer_event("window", 60, { flush = true })
                  end
                end
                """);
        return root;
    }

    @Test
    void redisFixturesAndExpectationsCoverEveryKeyShape() {
        Path root = timerRoot();
        TestRoots.write(
                root,
                "analyzer/window.lua",
                """
                local r
                function setup() r = hiredis.connect() end
                function loop(msg)
                  r:command("HINCRBY", "h", "seen", 1)
                  r:command("RPUSH", "l", msg.n)
                  r:command("SADD", "s", msg.n)
                  r:command("ZINCRBY", "z", msg.n, "total")
                  r:command("SET", "last", "n=" .. msg.n)
                  r:command("DEL", "gone")
                end
                """);
        TestRoots.write(
                root,
                "tests/redis.lua",
                """
                return {
                  redis = { h = { hash = { seen = 10, other = "x" } }, l = { list = { "0" } },
                            gone = "soon" },
                  redis_commands = { { "SADD", "s", "9" } },
                  events = { {n = 1}, {n = 2} },
                  expect = { redis = {
                    h = { hash = { seen = "12", other = ANY, missing = ABSENT } },
                    l = { list = { "0", "1", "2" } },
                    s = { set = { "2", "1", "9" } },
                    z = { zset = { total = 3 } },
                    last = like("^n=%d$"),
                    gone = ABSENT,
                  } },
                }
                """);
        TestRoots.write(
                root,
                "tests/redis-wrong.lua",
                """
                return {
                  events = { {n = 1} },
                  expect = { redis = { h = { hash = { seen = "2" } }, l = { set = { "1" } },
                                       last = "n=2", never = "x" } },
                }
                """);

        Run run = test(root);

        assertThat(run.out()).contains("PASS tests/redis.lua");
        assertThat(run.out())
                .contains("FAIL tests/redis-wrong.lua")
                .contains("redis key h field seen: expected \"2\", got \"1\"")
                .contains("redis key l: expected a set, but it holds a list")
                .contains("redis key last: expected \"n=2\", got \"n=1\"")
                .contains("redis key never: expected \"x\", but the key does not exist");
        assertThat(run.exit()).isEqualTo(1);
    }

    @Test
    void aTestFileWithATypoOrASyntaxErrorFailsNamingFileFieldAndLine() {
        Path root = helloWorld();
        TestRoots.write(root, "tests/typo.lua", "return { events = {}, expcet = {} }\n");
        TestRoots.write(
                root, "tests/syntax.lua", "return {\n  events = { {a = 1} \n  expect = {}\n}\n");
        TestRoots.write(
                root,
                "tests/tag.lua",
                "return { events = {}, expect = { outputs = { evnts = {} } } }\n");
        TestRoots.write(root, "tests/_helpers.lua", "return 'not a test'\n");

        Run run = test(root);

        assertThat(run.out())
                .contains("FAIL tests/typo.lua")
                .contains("tests/typo.lua: unknown field expcet")
                .contains("FAIL tests/syntax.lua")
                .contains("tests/syntax.lua:3:")
                .contains(
                        "expect.outputs.evnts: config.lua has no output \"evnts\" (outputs: events")
                .doesNotContain("_helpers");
        assertThat(run.exit()).isEqualTo(1);
    }

    @Test
    void startAtAnAnalyzerAndCheckWhatReachesEachStage() {
        Path root = helloWorld();
        TestRoots.write(
                root,
                "tests/at-counter.lua",
                """
                return {
                  start = "counter",
                  events = { {event_type = "tls"}, {event_type = "tls", tls = {sni = "a.example"}} },
                  expect = {
                    analyzers = { counter = { count = 2, contains = { {tls = {sni = like("%.example$")}} } } },
                    outputs = { events = { count = 2, none = { {event_type = "dns"} } } },
                    redis = { ["dragonfly:event_type:tls"] = 2 },
                  },
                }
                """);

        Run run = test(root, "at-counter");

        assertThat(run.exit()).as(run.out()).isZero();
    }

    @Test
    void containsAndNoneFailuresShowTheClosestEvent() {
        Path root = helloWorld();
        TestRoots.write(
                root,
                "tests/closest.lua",
                """
                return {
                  events = { {event_type = "dns", dns = {rrname = "a.com"}}, {event_type = "alert"} },
                  expect = { outputs = { events = {
                    contains = { {event_type = "dns", dns = {rrname = "b.com"}} },
                    none = { {event_type = "alert"} },
                  } } },
                }
                """);

        Run run = test(root, "tests/closest.lua");

        assertThat(run.out())
                .contains(
                        "no event matches contains[1] = {event_type = \"dns\", dns = {rrname = \"b.com\"}}")
                .contains("closest is event 1 of 2 (from events[1]):")
                .contains("field dns.rrname: expected \"b.com\", got \"a.com\"")
                .contains("event 2 of 2 (from events[2], sent by counter): matches none[1]");
        assertThat(run.exit()).isEqualTo(1);
    }

    @Test
    void aScriptWhoseSetupFailsFailsTheTestWithItsMessage() {
        Path root = helloWorld();
        TestRoots.write(
                root,
                "analyzer/event-type-counter.lua",
                "function setup() error('no model') end\nfunction loop(m) end\n");

        Run run = test(root, "counter");

        assertThat(run.out())
                .contains("a script failed to start: analyzers[1] (tag \"counter\"):")
                .contains("no model");
        assertThat(run.exit()).isEqualTo(1);
    }

    @Test
    void theKeyedStateExampleTestsPass() {
        TestRoots.copyExample("data", dir);
        Run run = test(TestRoots.copyExample("keyed-state", dir));

        assertThat(run.exit()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).endsWith("1 passed, 0 failed\n");
    }

    private Path keyedRoot() {
        Path root = dir.resolve("keyed");
        TestRoots.write(
                root,
                "config/config.lua",
                """
                inputs = { { tag="in", uri="file:///dev/null", script="in.lua", default_analyzer="per-host" } }
                analyzers = {
                  { tag="per-host", script="per-host.lua", key="host.ip", default_analyzer="plain", default_output="out" },
                  { tag="plain", script="plain.lua", default_analyzer="", default_output="out" },
                }
                outputs = { { tag="out", uri="file://out.json" } }
                """);
        TestRoots.write(
                root,
                "filter/in.lua",
                "function loop(msg) dragonfly.analyze_event(default_analyzer, msg) end\n");
        TestRoots.write(
                root,
                "analyzer/per-host.lua",
                """
                function loop(msg)
                  if msg.flush then
                    -- a timer fires under the key it was set with
                    dragonfly.output_event(default_output,
                      { total = dragonfly.state.get("events"), seen = dragonfly.state.get("seen") })
                    return
                  end
                  local n = dragonfly.state.incr("events")
                  local seen = dragonfly.state.get("seen") or {}
                  seen[#seen + 1] = msg.n
                  dragonfly.state.put("seen", seen)
                  seen[#seen + 1] = "not stored"   -- a copy was stored
                  dragonfly.metric("events")
                  dragonfly.metric("weight", msg.n)
                  if n == 1 then dragonfly.timer_event("per-host", 10, { flush = true }) end
                  if msg.plain then dragonfly.analyze_event(default_analyzer, msg) end
                end
                """);
        TestRoots.write(
                root, "analyzer/plain.lua", "function loop(msg) dragonfly.state.incr(\"x\") end\n");
        return root;
    }

    @Test
    void keyedStateIsCheckedPerStageKeyAndName() {
        Path root = keyedRoot();
        TestRoots.write(
                root,
                "tests/state.lua",
                """
                local events = {
                  { host = { ip = "10.0.0.1" }, n = 1 },
                  { host = { ip = "10.0.0.2" }, n = 2 },
                  { host = { ip = "10.0.0.1" }, n = 3 },
                  { n = 4 },
                }
                return {
                  { name = "counts per key",
                    events = events,
                    advance = 10,
                    expect = {
                      outputs = { out = {
                        { total = 2, seen = { 1, 3 } },
                        { total = 1, seen = { 2 } },
                        { total = 1, seen = { 4 } },
                      } },
                      state = { ["per-host"] = {
                        ["10.0.0.1"] = { events = 2, seen = { 1, 3 }, other = ABSENT },
                        ["10.0.0.2"] = { events = 1, seen = ANY },
                        [""] = { events = 1 },
                        ["10.0.0.9"] = ABSENT,
                      } },
                      metrics = { ["per-host"] = { events = 4, weight = 10 } },
                    } },
                  { name = "a wrong count",
                    events = events,
                    expect = {
                      state = { ["per-host"] = {
                        ["10.0.0.1"] = { events = 3 },
                        ["10.0.0.7"] = { events = 1 },
                      } },
                      metrics = { ["per-host"] = { events = 5 } },
                    } },
                  { name = "state without a key",
                    events = { { host = { ip = "10.0.0.1" }, n = 1, plain = true } },
                    expect = {
                      errors = { { reason = "script_error", tag = "plain",
                                   error = like("dragonfly.state needs key=") } },
                    } },
                }
                """);

        Run run = test(root, "state");

        assertThat(run.out())
                .contains("PASS tests/state.lua test 1")
                .contains("FAIL tests/state.lua test 2")
                .contains(
                        "state of \"per-host\", key \"10.0.0.1\":\n"
                                + "     field events: expected 3, got 2\n"
                                + "     actual: {\"events\":2,\"seen\":[1,3]}")
                .contains(
                        "state of \"per-host\", key \"10.0.0.7\":\n"
                                + "     field events: expected 1, but it is missing\n"
                                + "     no state under this key (keys with state: \"\", \"10.0.0.1\","
                                + " \"10.0.0.2\")")
                .contains("metrics of \"per-host\":\n     field events: expected 5, got 4")
                .contains("PASS tests/state.lua test 3")
                .endsWith("2 passed, 1 failed\n");
        assertThat(run.exit()).isEqualTo(1);
    }

    @Test
    void stateExpectationsOnAStageWithoutKeyAreRefused() {
        Path root = keyedRoot();
        TestRoots.write(
                root,
                "tests/state.lua",
                "return { events = {}, expect = { state = { plain = {} } } }\n");

        Run run = test(root, "state");

        assertThat(run.out())
                .contains(
                        "expect.state[\"plain\"]: analyzers[2] (tag \"plain\") has no key=, so"
                                + " it has no dragonfly.state to check");
        assertThat(run.exit()).isEqualTo(1);
    }

    @Test
    void noTestsIsAFailureAndABadConfigExitsTwo() {
        Path root = helloWorld();
        TestRoots.write(root, "tests/counter.lua", "");
        Run empty = test(TestRoots.copyExample("passthrough", dir.resolve("other")), "nope");
        assertThat(empty.exit()).isEqualTo(2);
        assertThat(empty.err()).contains("no test nope");

        TestRoots.editConfig(root, "default_analyzer=\"counter\"", "default_analyzer=\"countr\"");
        Run bad = test(root);
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("inputs[1]").contains("countr");
    }
}
