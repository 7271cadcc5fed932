package org.dragonflymle.operator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.util.OutputTag;
import org.dragonflymle.config.OutputSpec;
import org.dragonflymle.config.PipelineSpec;
import org.dragonflymle.config.StageSpec;
import org.dragonflymle.config.loader.ConfigLoader;
import org.dragonflymle.event.Event;
import org.dragonflymle.graph.EventKeySelector;
import org.dragonflymle.metrics.StatsOptions;
import org.dragonflymle.testutils.TestRoots;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ScriptOperator} under Flink's operator test harnesses, no MiniCluster: its side outputs,
 * keyed state and timers, and its pending timers across a snapshot and restore.
 */
class ScriptOperatorHarnessTest {

    @TempDir Path dir;

    private PipelineSpec pipeline;
    private RouteTags routes;

    /** Analyzer "a" (key {@code key}, or none) running {@code script}, routing to "b" and "out". */
    private ScriptOperator operator(String key, String script) throws Exception {
        Path root = dir.resolve("root");
        TestRoots.write(
                root,
                "config/config.lua",
                """
                inputs = { { tag="eve", uri="file:///dev/null", script="f.lua",
                             default_analyzer="a" } }
                analyzers = { { tag="a", script="a.lua", default_output="out", routes={"b"} %s },
                              { tag="b", script="b.lua" } }
                outputs = { { tag="out", uri="file://out.json" } }
                """
                        .formatted(key == null ? "" : ", key=\"" + key + "\""));
        TestRoots.write(root, "filter/f.lua", "function loop(m) end");
        TestRoots.write(root, "analyzer/b.lua", "function loop(m) end");
        TestRoots.write(root, "analyzer/a.lua", script);
        pipeline = ConfigLoader.load(root, dir.resolve("logs"));
        StageSpec stage = pipeline.analyzer("a").orElseThrow();
        Map<String, OutputTag<Event>> outputs = new LinkedHashMap<>();
        for (OutputSpec o : pipeline.outputs()) {
            outputs.put(o.tag(), RouteTags.toOutput(o.tag()));
        }
        routes =
                new RouteTags(
                        Map.of("b", RouteTags.toAnalyzer("b")),
                        outputs,
                        RouteTags.toOutput(PipelineSpec.ERRORS_TAG),
                        RouteTags.toOutput(RouteTags.LOG_OUTPUT),
                        RouteTags.toOutput(RouteTags.STATS_OUTPUT));
        return new ScriptOperator(
                pipeline, stage, routes, null, StatsOptions.INTERVAL.defaultValue());
    }

    private KeyedOneInputStreamOperatorTestHarness<String, Event, Event> keyed(String script)
            throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                operator("k", script), new EventKeySelector("k", 512), Types.STRING);
    }

    @Test
    void whatTheScriptRoutesLeavesOnTheSideOutputsAndErrorsOnTheirs() throws Exception {
        try (OneInputStreamOperatorTestHarness<Event, Event> h =
                new OneInputStreamOperatorTestHarness<>(
                        operator(
                                null,
                                """
                                function loop(msg)
                                  if msg.n == 2 then error("two") end
                                  dragonfly.analyze_event("b", msg)
                                  dragonfly.output_event(default_output, {n = msg.n})
                                end
                                """))) {
            h.open();
            h.processElement(new StreamRecord<>(json("{\"n\":1}")));
            h.processElement(new StreamRecord<>(json("{\"n\":2}")));
            h.processElement(new StreamRecord<>(Event.line(bytes("not json"))));

            assertThat(lines(h.getSideOutput(routes.analyzers().get("b"))))
                    .containsExactly("{\"n\":1}");
            assertThat(lines(h.getSideOutput(routes.outputs().get("out"))))
                    .containsExactly("{\"n\":1}");
            assertThat(lines(h.getSideOutput(routes.errors())))
                    .hasSize(2)
                    .satisfiesExactly(
                            e -> assertThat(e).contains("\"reason\":\"script_error\""),
                            e -> assertThat(e).contains("\"reason\":\"malformed_json\""));
            assertThat(h.getOutput()).as("nothing on the main output").isEmpty();
        }
    }

    @Test
    void keyedStateIsPerKey() throws Exception {
        try (KeyedOneInputStreamOperatorTestHarness<String, Event, Event> h =
                keyed(
                        """
                        function loop(msg)
                          dragonfly.output_event(default_output,
                              {k = msg.k, n = dragonfly.state.incr("n")})
                        end
                        """)) {
            h.open();
            for (String k : new String[] {"a", "a", "b", "a"}) {
                h.processElement(new StreamRecord<>(json("{\"k\":\"" + k + "\"}")));
            }
            assertThat(lines(h.getSideOutput(routes.outputs().get("out"))))
                    .containsExactly(
                            "{\"k\":\"a\",\"n\":1}",
                            "{\"k\":\"a\",\"n\":2}",
                            "{\"k\":\"b\",\"n\":1}",
                            "{\"k\":\"a\",\"n\":3}");
        }
    }

    /** A keyed stage's own timer fires under the key it was set with, once, when it is due. */
    @Test
    void aKeyedTimerFiresUnderItsKeyWhenDue() throws Exception {
        try (KeyedOneInputStreamOperatorTestHarness<String, Event, Event> h =
                keyed(
                        """
                        function loop(msg)
                          local n = dragonfly.state.incr("n")
                          if msg.timer then
                            return dragonfly.output_event(default_output, {fired = msg.k, n = n})
                          end
                          dragonfly.timer_event("a", 2, {timer = true, k = msg.k})
                        end
                        """)) {
            h.setProcessingTime(1_000);
            h.open();
            h.processElement(new StreamRecord<>(json("{\"k\":\"x\"}")));
            h.setProcessingTime(2_999);
            assertThat(h.getSideOutput(routes.outputs().get("out"))).isNull();

            h.setProcessingTime(3_000);
            assertThat(lines(h.getSideOutput(routes.outputs().get("out"))))
                    .containsExactly("{\"fired\":\"x\",\"n\":2}");
            h.setProcessingTime(10_000);
            assertThat(lines(h.getSideOutput(routes.outputs().get("out")))).hasSize(1);
        }
    }

    /** Without key=, pending timers are operator state: they survive a snapshot and a restore. */
    @Test
    void anOperatorTimerPendingAtASnapshotFiresOnceAfterTheRestore() throws Exception {
        String script =
                """
                function loop(msg)
                  if msg.timer then
                    return dragonfly.analyze_event("b", {fired = msg.id})
                  end
                  dragonfly.timer_event("a", 5, {timer = true, id = msg.id})
                end
                """;
        OperatorSubtaskState snapshot;
        try (OneInputStreamOperatorTestHarness<Event, Event> h =
                new OneInputStreamOperatorTestHarness<>(operator(null, script))) {
            h.setProcessingTime(0);
            h.open();
            h.processElement(new StreamRecord<>(json("{\"id\":7}")));
            snapshot = h.snapshot(1, 100);
        }

        try (OneInputStreamOperatorTestHarness<Event, Event> h =
                new OneInputStreamOperatorTestHarness<>(operator(null, script))) {
            h.setProcessingTime(1_000);
            h.initializeState(snapshot);
            h.open();
            h.setProcessingTime(6_000);
            assertThat(lines(h.getSideOutput(routes.analyzers().get("b"))))
                    .containsExactly("{\"fired\":7}");
            h.setProcessingTime(20_000);
            assertThat(lines(h.getSideOutput(routes.analyzers().get("b")))).hasSize(1);
        }
    }

    private static List<String> lines(ConcurrentLinkedQueue<StreamRecord<Event>> records) {
        List<String> out = new ArrayList<>();
        if (records != null) {
            for (StreamRecord<Event> r : records) {
                out.add(new String(r.getValue().bytes(), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    private static Event json(String s) {
        return Event.json(bytes(s));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
