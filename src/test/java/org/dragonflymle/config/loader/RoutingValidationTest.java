package org.dragonflymle.config.loader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.dragonflymle.config.loader.ConfigFixture.ANALYZER;
import static org.dragonflymle.config.loader.ConfigFixture.INPUT;
import static org.dragonflymle.config.loader.ConfigFixture.OUTPUT;

import java.nio.file.Path;
import org.dragonflymle.config.PipelineSpec;
import org.dragonflymle.config.StageSpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tags a stage names must exist, inputs must route somewhere, analyzers must not loop. */
class RoutingValidationTest {

    @TempDir Path tmp;
    private ConfigFixture f;

    @BeforeEach
    void setUp() {
        f = new ConfigFixture(tmp);
    }

    @Test
    void unknownDefaultAnalyzerListsTheAnalyzers() {
        f.pipeline(INPUT.replace("\"triage\"", "\"tirage\""), ANALYZER, OUTPUT);
        f.assertNames(
                f.failure(),
                "inputs[1] (tag \"eve\")",
                "unknown default_analyzer \"tirage\"",
                "(analyzers: triage;");
    }

    @Test
    void defaultAnalyzerNamingAnOutputSaysSo() {
        f.pipeline(INPUT.replace("\"triage\"", "\"alerts\""), ANALYZER, OUTPUT);
        f.assertNames(
                f.failure(),
                "inputs[1] (tag \"eve\")",
                "unknown default_analyzer \"alerts\" (that is an output; use default_output)");
    }

    @Test
    void emptyDefaultAnalyzerRoutesNowhere() throws Exception {
        f.pipeline(INPUT, ANALYZER.replace(" }", ", default_analyzer=\"\" }"), OUTPUT);
        StageSpec triage = f.load().analyzer("triage").orElseThrow();
        assertThat(triage.defaultAnalyzer()).isEmpty();
        assertThat(triage.analyzerRoutes()).isEmpty();
    }

    @Test
    void unknownDefaultOutputListsTheOutputs() {
        f.pipeline(INPUT, ANALYZER.replace("\"alerts\"", "\"alrets\""), OUTPUT);
        f.assertNames(
                f.failure(),
                "analyzers[1] (tag \"triage\")",
                "unknown default_output \"alrets\"",
                "(outputs: alerts, errors)");
    }

    @Test
    void emptyDefaultOutputIsRefused() {
        f.pipeline(INPUT, ANALYZER.replace("\"alerts\"", "\"\""), OUTPUT);
        f.assertNames(
                f.failure(),
                "analyzers[1] (tag \"triage\")",
                "unknown default_output \"\" (leave it out for none)");
    }

    @Test
    void routesNamingAnUnknownTag() {
        f.pipeline(INPUT, ANALYZER.replace(" }", ", routes={\"zzz\"} }"), OUTPUT);
        f.assertNames(
                f.failure(),
                "analyzers[1] (tag \"triage\")",
                "routes names unknown tag \"zzz\" (analyzers: triage; outputs: alerts, errors)");
    }

    @Test
    void routesNamingAnInput() {
        f.pipeline(INPUT, ANALYZER.replace(" }", ", routes={\"eve\"} }"), OUTPUT);
        f.assertNames(
                f.failure(),
                "analyzers[1] (tag \"triage\")",
                "routes names input \"eve\"; inputs cannot be routed to");
    }

    @Test
    void routesMayNameAnalyzersAndOutputs() throws Exception {
        f.pipeline(
                INPUT,
                ANALYZER.replace(" }", ", routes={\"sink\", \"alerts\", \"errors\"} }")
                        + ", { tag=\"sink\", script=\"triage.lua\" }",
                OUTPUT);
        StageSpec triage = f.load().analyzer("triage").orElseThrow();
        assertThat(triage.analyzerRoutes()).containsExactly("sink");
        assertThat(triage.outputRoutes()).containsExactly("alerts", "errors");
    }

    @Test
    void inputThatRoutesNowhereIsRefused() {
        f.pipeline(INPUT.replace(", default_analyzer=\"triage\"", ""), ANALYZER, OUTPUT);
        f.assertNames(
                f.failure(),
                "inputs[1] (tag \"eve\")",
                "routes nowhere",
                "set default_analyzer, or routes = {...}",
                "filter/eve.lua");
    }

    @Test
    void inputWithoutDefaultAnalyzerMayRouteLiterallyOrByRoutes() throws Exception {
        f.pipeline(
                INPUT.replace(", default_analyzer=\"triage\"", "")
                        + ", { tag=\"k\", uri=\"kafka://k:9092/eve\", script=\"eve.lua\","
                        + " routes={\"triage\"} }",
                ANALYZER,
                OUTPUT);
        f.filter("eve.lua", "function loop(m) dragonfly.analyze_event(\"triage\", m) end");
        PipelineSpec spec = f.load();
        assertThat(spec.inputs())
                .allSatisfy(i -> assertThat(i.analyzerRoutes()).containsExactly("triage"));
    }

    @Test
    void literalTagNamingNothingIsAWarningNotAnError() throws Exception {
        f.pipeline(INPUT, ANALYZER, OUTPUT);
        f.analyzer(
                "triage.lua",
                "function loop(m)\n  dragonfly.output_event(\"gone\", m)\n"
                        + "  dragonfly.analyze_event(\"eve\", m)\nend\n");
        StageSpec triage = f.load().analyzer("triage").orElseThrow();
        assertThat(triage.outputRoutes()).containsExactly("alerts");
        assertThat(f.warnings)
                .anySatisfy(
                        w ->
                                assertThat(w)
                                        .contains("analyzers[1] (tag \"triage\")")
                                        .contains("analyzer/triage.lua:2")
                                        .contains("output_event(\"gone\", ...) names no output"))
                .anySatisfy(
                        w ->
                                assertThat(w)
                                        .contains("analyzer/triage.lua:3")
                                        .contains("names no analyzer (that is an input"));
    }

    @Test
    void routingCycleIsNamedWithWhereEachEdgeComesFrom() {
        f.pipeline(
                INPUT,
                "{ tag=\"triage\", script=\"triage.lua\", default_analyzer=\"b\" },\n"
                        + "  { tag=\"b\", script=\"b.lua\", routes={\"c\"} },\n"
                        + "  { tag=\"c\", script=\"c.lua\" }",
                OUTPUT);
        f.analyzer("b.lua", "function loop(m) end");
        f.analyzer("c.lua", "function loop(m)\n  dragonfly.analyze_event('triage', m)\nend");
        f.assertNames(
                f.failure(),
                "analyzers[1] (tag \"triage\")",
                "routing cycle: triage -> b -> c -> triage",
                "triage -> b by default_analyzer",
                "b -> c by routes",
                "c -> triage by analyze_event at analyzer/c.lua:2");
    }

    @Test
    void analyzerRoutingToItselfIsACycle() {
        f.pipeline(INPUT, ANALYZER, OUTPUT);
        f.analyzer("triage.lua", "function loop(m) dragonfly.analyze_event(\"triage\", m) end");
        f.assertNames(
                f.failure(), "analyzers[1] (tag \"triage\")", "routing cycle: triage -> triage");
    }

    @Test
    void diamondIsNotACycle() throws Exception {
        f.pipeline(
                INPUT,
                "{ tag=\"triage\", script=\"triage.lua\", routes={\"b\", \"c\"} },\n"
                        + "  { tag=\"b\", script=\"triage.lua\", default_analyzer=\"d\" },\n"
                        + "  { tag=\"c\", script=\"triage.lua\", default_analyzer=\"d\" },\n"
                        + "  { tag=\"d\", script=\"triage.lua\" }",
                OUTPUT);
        assertThat(f.load().analyzers()).hasSize(4);
    }
}
