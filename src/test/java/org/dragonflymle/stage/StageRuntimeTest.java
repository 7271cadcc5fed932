package org.dragonflymle.stage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.dragonflymle.config.PipelineSpec;
import org.dragonflymle.config.StageSpec;
import org.dragonflymle.config.loader.ConfigLoader;
import org.dragonflymle.errors.ErrorReason;
import org.dragonflymle.event.Event;
import org.dragonflymle.lua.ScriptSetupException;
import org.dragonflymle.lua.api.ScriptContext;
import org.dragonflymle.lua.api.ScriptState;
import org.dragonflymle.lua.lib.MarshalledScriptState;
import org.dragonflymle.redis.RedisCallObserver;
import org.dragonflymle.testutils.TestRoots;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stage runtime on its own, no Flink, no MiniCluster: what one stage does with the events it
 * gets, observed through recording bindings.
 */
class StageRuntimeTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path dir;

    private final List<String> sent = new ArrayList<>();
    private final List<JsonNode> errors = new ArrayList<>();
    private final List<String> observed = new ArrayList<>();
    private final Map<String, Long> counters = new TreeMap<>();
    private StageRuntime runtime;

    /** Records what the runtime emits, as "kind tag json" lines. */
    private final StageOutput output =
            new StageOutput() {
                @Override
                public void toAnalyzer(String tag, byte[] json) {
                    sent.add("analyzer " + tag + " " + text(json));
                }

                @Override
                public void toOutput(String tag, byte[] json) {
                    sent.add("output " + tag + " " + text(json));
                }

                @Override
                public void toLog(byte[] json) {
                    sent.add("log " + text(json));
                }

                @Override
                public void toStats(byte[] json) {
                    sent.add("stats " + text(json));
                }

                @Override
                public void toErrors(byte[] record) {
                    try {
                        errors.add(JSON.readTree(record));
                    } catch (Exception e) {
                        throw new AssertionError("an error record that is not JSON", e);
                    }
                }

                @Override
                public void timer(String tag, long delayMillis, byte[] json) {
                    sent.add("timer " + tag + " " + delayMillis + " " + text(json));
                }
            };

    private final StageObserver observer =
            new StageObserver() {
                @Override
                public void error(ErrorReason reason, String message) {
                    observed.add(reason.code());
                }

                @Override
                public long loopStart() {
                    return 1;
                }

                @Override
                public void loopEnd(long started) {
                    observed.add("loop");
                }

                @Override
                public RedisCallObserver redis() {
                    return RedisCallObserver.NONE;
                }
            };

    @AfterEach
    void close() {
        if (runtime != null) {
            runtime.close();
        }
    }

    /** A root with one input "eve" routing to analyzer "a", whose script is {@code script}. */
    private StageRuntime analyzer(String script, String limits, ScriptState state)
            throws Exception {
        Path root = dir.resolve("root");
        TestRoots.write(
                root,
                "config/config.lua",
                """
                inputs = { { tag="eve", uri="file:///dev/null", script="f.lua",
                             default_analyzer="a" } }
                analyzers = { { tag="a", script="a.lua", default_output="out",
                                routes={"b"} },
                              { tag="b", script="b.lua" } }
                outputs = { { tag="out", uri="file://out.json" } }
                """
                        + limits);
        TestRoots.write(root, "filter/f.lua", "function loop(m) end");
        TestRoots.write(root, "analyzer/b.lua", "function loop(m) end");
        TestRoots.write(root, "analyzer/a.lua", script);
        PipelineSpec pipeline = ConfigLoader.load(root, dir.resolve("logs"));
        StageSpec stage = pipeline.analyzer("a").orElseThrow();
        runtime =
                new StageRuntime(
                        pipeline,
                        stage,
                        ScriptContext.forStage(stage, pipeline.root(), pipeline.logDir(), null),
                        new StageBindings(
                                state,
                                (name, n) -> counters.merge(name, n, Long::sum),
                                output,
                                observer));
        runtime.start();
        return runtime;
    }

    private StageRuntime analyzer(String script) throws Exception {
        return analyzer(script, "", null);
    }

    @Test
    void routesWhatTheScriptSendsEncodedAtOnce() throws Exception {
        analyzer(
                """
                function loop(msg)
                  dragonfly.analyze_event("b", msg)
                  msg.seen = true               -- after the send: the copy already left
                  dragonfly.output_event(default_output, msg)
                  dragonfly.log_event({n = 1})
                  dragonfly.stats_event({n = 2})
                end
                """);

        runtime.acceptJson(bytes("{\"x\":1}"));

        assertThat(sent)
                .containsExactly(
                        "analyzer b {\"x\":1}",
                        "output out {\"x\":1,\"seen\":true}",
                        "log {\"n\":1}",
                        "stats {\"n\":2}");
        assertThat(errors).isEmpty();
        assertThat(observed).containsExactly("loop");
    }

    @Test
    void aRouteOutsideTheStagesRoutesIsAnUnknownRouteRecordNamingThem() throws Exception {
        analyzer(
                """
                function loop(msg)
                  dragonfly.analyze_event(msg.to, msg)
                  dragonfly.output_event("nowhere", msg)
                  dragonfly.timer_event("c", 1, msg)
                end
                """);

        runtime.acceptJson(bytes("{\"to\":\"eve\"}"));

        assertThat(sent).isEmpty();
        assertThat(errors).hasSize(3);
        assertThat(errors)
                .allSatisfy(e -> assertThat(e.get("reason").asText()).isEqualTo("unknown_route"));
        assertThat(errors.get(0).get("error").asText())
                .contains("no analyzer \"eve\" to route to from analyzer/a.lua")
                .contains("[b]");
        assertThat(errors.get(1).get("error").asText())
                .contains("no output \"nowhere\"")
                .contains("out");
        assertThat(errors.get(2).get("error").asText()).contains("no analyzer \"c\"");
        assertThat(observed)
                .containsExactly("unknown_route", "unknown_route", "unknown_route", "loop");
    }

    @Test
    void rawLinesAreValidatedOnceAndBadOnesBecomeErrorRecords() throws Exception {
        analyzer("function loop(msg) dragonfly.output_event(default_output, msg) end");

        runtime.acceptLine(bytes("{\"ok\":1}"));
        runtime.acceptLine(bytes("{\"broken\":"));
        runtime.acceptLine(new byte[] {'"', (byte) 0xff, '"'});
        runtime.acceptLine(bytes("[".repeat(600) + "]".repeat(600)));

        assertThat(sent).containsExactly("output out {\"ok\":1}");
        assertThat(errors)
                .extracting(e -> e.get("reason").asText())
                .containsExactly("malformed_json", "invalid_utf8", "too_deep");
        assertThat(errors.get(0).get("stage").asText()).isEqualTo("analyzer");
        assertThat(errors.get(0).get("tag").asText()).isEqualTo("a");
        assertThat(errors.get(0).get("script").asText()).isEqualTo("analyzer/a.lua");
    }

    /** As the sources do: an over-long line keeps only its head, and the record says how long. */
    @Test
    void anOversizedLineIsRejectedWithItsHeadOnly() throws Exception {
        analyzer(
                "function loop(msg) dragonfly.output_event(default_output, msg) end",
                "limits = { max_event_bytes = 10000 }\n",
                null);
        String line = "{\"big\":\"" + "x".repeat(20_000) + "\"}";

        runtime.acceptLine(bytes(line));
        runtime.accept(Event.line(bytes("{\"small\":1}")));

        assertThat(sent).containsExactly("output out {\"small\":1}");
        assertThat(errors).hasSize(1);
        assertThat(errors.get(0).get("reason").asText()).isEqualTo("oversized");
        assertThat(errors.get(0).get("error").asText())
                .contains("line of " + line.length() + " bytes exceeds max_event_bytes 10000");
        assertThat(errors.get(0).toString().length()).isLessThan(line.length());
    }

    @Test
    void aLuaErrorCostsThatEventOnly() throws Exception {
        analyzer(
                """
                function loop(msg)
                  if msg.n == 2 then error("no two") end
                  dragonfly.output_event(default_output, msg)
                end
                """);

        for (int n = 1; n <= 3; n++) {
            runtime.acceptJson(bytes("{\"n\":" + n + "}"));
        }

        assertThat(sent).containsExactly("output out {\"n\":1}", "output out {\"n\":3}");
        assertThat(errors).hasSize(1);
        assertThat(errors.get(0).get("reason").asText()).isEqualTo("script_error");
        assertThat(errors.get(0).get("error").asText())
                .contains("analyzer/a.lua:2")
                .contains("no two");
        assertThat(errors.get(0).get("event").toString()).isEqualTo("{\"n\":2}");
    }

    /** The engine's budget applies in a test run too: one runtime, one meaning. */
    @Test
    void aLoopThatRunsPastItsBudgetIsAbortedAndTheNextEventRuns() throws Exception {
        analyzer(
                """
                function loop(msg)
                  if msg.spin then while true do end end
                  dragonfly.output_event(default_output, msg)
                end
                """,
                "limits = { loop_budget_ms = 50 }\n",
                null);

        runtime.acceptJson(bytes("{\"spin\":true}"));
        runtime.acceptJson(bytes("{\"spin\":false}"));

        assertThat(errors)
                .extracting(e -> e.get("reason").asText())
                .containsExactly("script_error");
        assertThat(sent).containsExactly("output out {\"spin\":false}");
    }

    @Test
    void timersGoToTheStageItselfOrItsRoutesWithTheirDelayInMilliseconds() throws Exception {
        analyzer(
                """
                function loop(msg)
                  if msg.timer then return dragonfly.output_event(default_output, msg) end
                  dragonfly.timer_event("a", 1.5, {timer = 1})
                  dragonfly.timer_event("b", 0, {timer = 2})
                  dragonfly.timer_event("a", 0.0004, {timer = 3})
                end
                """);

        runtime.acceptJson(bytes("{}"));
        assertThat(runtime.isOwnTimer("a")).isTrue();
        assertThat(runtime.isOwnTimer("b")).isFalse();
        runtime.acceptJson(bytes("{\"timer\":1}"));

        assertThat(sent)
                .containsExactly(
                        "timer a 1500 {\"timer\":1}",
                        "timer b 0 {\"timer\":2}",
                        "timer a 0 {\"timer\":3}",
                        "output out {\"timer\":1}");
    }

    @Test
    void metricAddsToTheBoundCountersAndRefusesANameThatIsNoString() throws Exception {
        analyzer(
                """
                function loop(msg)
                  dragonfly.metric("seen")
                  dragonfly.metric("bytes", 40)
                  if msg.bad then dragonfly.metric({}) end
                end
                """);

        runtime.acceptJson(bytes("{}"));
        runtime.acceptJson(bytes("{\"bad\":true}"));

        assertThat(counters).containsEntry("seen", 2L).containsEntry("bytes", 80L).hasSize(2);
        assertThat(errors).hasSize(1);
        assertThat(errors.get(0).get("error").asText())
                .contains("bad argument #1 to 'metric' (string expected, got table)");
    }

    @Test
    void stateIsWhatTheBindingsStoreAndAStageWithoutKeySaysSo() throws Exception {
        Map<String, byte[]> store = new HashMap<>();
        ScriptState state =
                new MarshalledScriptState() {
                    @Override
                    protected byte[] read(String name) {
                        return store.get(name);
                    }

                    @Override
                    protected void write(String name, byte[] bytes) {
                        store.put(name, bytes);
                    }

                    @Override
                    protected void remove(String name) {
                        store.remove(name);
                    }
                };
        analyzer(
                """
                function loop(msg)
                  dragonfly.output_event(default_output, {n = dragonfly.state.incr("n")})
                end
                """,
                "",
                state);
        runtime.acceptJson(bytes("{}"));
        runtime.acceptJson(bytes("{}"));
        assertThat(sent).containsExactly("output out {\"n\":1}", "output out {\"n\":2}");
        assertThat(store).containsKey("n");
        runtime.close();

        sent.clear();
        analyzer("function loop(msg) dragonfly.state.incr(\"n\") end");
        runtime.acceptJson(bytes("{}"));
        assertThat(sent).isEmpty();
        assertThat(errors.get(0).get("error").asText()).contains("key=");
    }

    @Test
    void aScriptThatCannotStartSaysWhy() {
        assertThatThrownBy(() -> analyzer("function loop(msg) end\nerror('broken setup')"))
                .isInstanceOf(ScriptSetupException.class)
                .hasMessageContaining("analyzer/a.lua")
                .hasMessageContaining("broken setup");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
