package org.dragonflymle.config.loader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.dragonflymle.config.OutputSpec;
import org.dragonflymle.config.StageKind;
import org.dragonflymle.config.StageSpec;
import org.dragonflymle.config.routing.RoutingGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.luaj.vm2.LuaValue;

/** The loader's small collaborators: durations, cycles, Lua error text, entry names. */
class SmallPartsTest {

    @ParameterizedTest
    @CsvSource({
        "500ms, 500",
        "10s, 10000",
        "5m, 300000",
        "1h, 3600000",
        "1.5s, 1500",
        " 2 s , 2000"
    })
    void durationStrings(String text, long millis) throws Exception {
        assertThat(DurationParser.parse(LuaValue.valueOf(text), "d"))
                .isEqualTo(Duration.ofMillis(millis));
    }

    @Test
    void durationNumbersAreSeconds() throws Exception {
        assertThat(DurationParser.parse(LuaValue.valueOf(10), "d"))
                .isEqualTo(Duration.ofSeconds(10));
        assertThat(DurationParser.parse(LuaValue.valueOf(0.25), "d"))
                .isEqualTo(Duration.ofMillis(250));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "10     | d \"10\" needs a unit: ms, s, m or h",
                "ten s  | d must be a duration like",
                "0s     | d must be at least 1ms",
                "0.1ms  | d must be at least 1ms",
                "-1s    | d must be a duration like",
            })
    void badDurations(String text, String problem) {
        assertThatThrownBy(() -> DurationParser.parse(LuaValue.valueOf(text), "d"))
                .isInstanceOf(InvalidEntry.class)
                .hasMessageContaining(problem);
    }

    @Test
    void badDurationTypes() {
        assertThatThrownBy(() -> DurationParser.parse(LuaValue.valueOf(-3), "d"))
                .hasMessage("d must be positive, got -3");
        assertThatThrownBy(() -> DurationParser.parse(LuaValue.TRUE, "d"))
                .hasMessageContaining("got true");
    }

    @Test
    void cycleIsFoundAsAClosedWalkInConfigOrder() {
        Map<String, Set<String>> edges = new LinkedHashMap<>();
        edges.put("a", Set.of("b"));
        edges.put("b", Set.of("c", "out"));
        edges.put("c", Set.of("a"));
        assertThat(RoutingGraph.findCycle(edges)).contains(List.of("a", "b", "c", "a"));
    }

    @Test
    void acyclicGraphsAndSelfLoops() {
        Map<String, Set<String>> dag = new LinkedHashMap<>();
        dag.put("a", Set.of("b", "c"));
        dag.put("b", Set.of("d"));
        dag.put("c", Set.of("d"));
        dag.put("d", Set.of());
        assertThat(RoutingGraph.findCycle(dag)).isEmpty();
        assertThat(RoutingGraph.findCycle(Map.of("x", Set.of("x")))).contains(List.of("x", "x"));
    }

    @Test
    void luaErrorTextIsCleaned() {
        assertThat(
                        LuaErrorText.clean(
                                "@config.lua:3 attempt to call nil\nstack traceback:\n\t[Java]: in ?"))
                .isEqualTo("config.lua:3: attempt to call nil");
        assertThat(LuaErrorText.clean("analyzer/x.lua:7: unexpected symbol 262 (\u0106)"))
                .isEqualTo("analyzer/x.lua:7: unexpected symbol 'end'");
        assertThat(LuaErrorText.clean("x.lua:2: unexpected symbol 61 (=)"))
                .isEqualTo("x.lua:2: unexpected symbol '='");
        assertThat(LuaErrorText.clean("x.lua:2: '=' expected near x:12 y"))
                .isEqualTo("x.lua:2: '=' expected near x:12 y");
        assertThat(LuaErrorText.line("x.lua:2: boom", "x.lua")).isEqualTo(2);
        assertThat(LuaErrorText.line("y.lua:2: boom", "x.lua")).isEqualTo(-1);
    }

    @Test
    void entryNamesAreSpelledLikeTheRecords() {
        StageSpec stage =
                new StageSpec(
                        StageKind.ANALYZER,
                        3,
                        "triage",
                        null,
                        Path.of("/r/analyzer/t.lua"),
                        null,
                        null,
                        null,
                        1,
                        Set.of(),
                        Set.of(),
                        false);
        assertThat(new EntryRef("analyzers", 3, "triage").describe()).isEqualTo(stage.describe());
        assertThat(new EntryRef("outputs", 2, "log").describe())
                .isEqualTo(new OutputSpec(2, "log", "file:///x").describe());
        assertThat(new EntryRef("inputs", 1, null).describe()).isEqualTo("inputs[1]");
    }
}
