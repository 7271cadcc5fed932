package org.dragonflymle.config.loader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.dragonflymle.config.CheckpointSpec;
import org.dragonflymle.config.ConfigException;
import org.dragonflymle.config.Limits;
import org.dragonflymle.config.OutputSpec;
import org.dragonflymle.config.PipelineSpec;
import org.dragonflymle.config.RedisSpec;
import org.dragonflymle.config.StageSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Valid configs load into the spec a user would expect. */
class ConfigLoaderTest {

    @TempDir Path tmp;

    private static final String FULL_CONFIG =
            """
            -- every field this engine reads
            redis_host = "10.0.0.5"
            redis_port = "6380"
            redis_password = "hunter2-secret"
            redis_db = 3
            redis_tls = true

            inputs = {
              { tag="eve", uri="file://data/eve.json", script="eve-filter.lua",
                default_analyzer="triage", key="src_ip", parallelism=2 },
              { tag="live", uri="tail:///var/log/suricata/eve.json", script="live-filter.lua" },
              { tag="k", uri="kafka://127.0.0.1:9092,broker2:9093/eve?group=dragonfly",
                script="eve-filter.lua", default_analyzer="triage" },
            }
            analyzers = {
              { tag="triage", script="triage.lua", default_analyzer="sink",
                default_output="alerts", key="dns.rrname", parallelism=4, concurrency=16,
                routes={"dyn", "debug"} },
              { tag="dyn", script="dga/dyn.lua", default_analyzer="sink", paralelism=2 },
              { tag="sink", script="write-to-log.lua", default_analyzer="", default_output="log" },
            }
            outputs = {
              { tag="alerts", uri="kafka://127.0.0.1:9092/alerts" },
              { tag="log", uri="file://eve-mle.log" },
              { tag="debug", uri="file:///tmp/debug.log" },
              { tag="sink", uri="unix:///run/sink.sock" },
            }
            modules = { {tag="ml", module="/usr/lib/redis-ml.so"} }
            responders = { {tag="r", param="x"} }
            checkpoint = { interval = "10s", dir = "file:///var/lib/dragonfly/checkpoints" }
            limits = { max_event_bytes = 65536, loop_budget_ms = 50 }
            """;

    private static final String TRIAGE =
            """
            -- dragonfly.analyze_event("commented", x)
            --[[ dragonfly.output_event("block", x)
                 dragonfly.output_event("block2", x) ]]
            local s = "dragonfly.analyze_event('instring', x)"
            function loop(msg)
              if msg.x then dragonfly.analyze_event( 'dyn' , msg)   -- single quotes, spaces
              elseif msg.y then dragonfly.forward_event("debug", msg)
              elseif msg.z then dragonfly.analyze_event("nosuch", msg) -- dead branch
              end
              dragonfly.output_event("log", msg)
              dragonfly.analyze_event("a" .. msg.t, msg)
            end
            """;

    private ConfigFixture fullFixture() {
        return new ConfigFixture(tmp)
                .config(FULL_CONFIG)
                .filter(
                        "eve-filter.lua",
                        "function loop(m) dragonfly.analyze_event(default_analyzer, m) end")
                .filter(
                        "live-filter.lua",
                        "function loop(m)\n  if m.dns then dragonfly.analyze_event(\"dyn\", m) end\nend\n")
                .analyzer("triage.lua", TRIAGE)
                .analyzer(
                        "dga/dyn.lua",
                        "function loop(m) dragonfly.analyze_event(default_analyzer, m) end")
                .analyzer(
                        "write-to-log.lua",
                        "function loop(m) dragonfly.output_event(default_output, m) end");
    }

    @Test
    void fullConfigLoadsWithEveryFieldAndDefault() throws Exception {
        ConfigFixture f = fullFixture();
        PipelineSpec spec = f.load();

        assertThat(spec.root()).isEqualTo(f.root.toAbsolutePath().normalize());
        assertThat(spec.configFile()).isEqualTo(f.configFile().toAbsolutePath().normalize());
        assertThat(spec.redis())
                .isEqualTo(new RedisSpec("10.0.0.5", 6380, "hunter2-secret", 3, true));
        assertThat(spec.checkpoint())
                .isEqualTo(
                        new CheckpointSpec(
                                Duration.ofSeconds(10), "file:///var/lib/dragonfly/checkpoints"));
        assertThat(spec.limits())
                .isEqualTo(
                        new Limits(
                                65536,
                                50,
                                Limits.DEFAULT_MAX_NESTING_DEPTH,
                                Limits.DEFAULT_LOOP_MEMORY_MB << 20));

        StageSpec eve = spec.inputs().get(0);
        assertThat(eve.describe()).isEqualTo("inputs[1] (tag \"eve\")");
        assertThat(eve.uri()).isEqualTo("file://" + f.root.resolve("data/eve.json"));
        assertThat(eve.script()).isEqualTo(f.root.resolve("filter/eve-filter.lua"));
        assertThat(eve.key()).isEqualTo("src_ip");
        assertThat(eve.parallelism()).isEqualTo(2);
        assertThat(eve.analyzerRoutes()).containsExactly("triage");
        assertThat(eve.outputRoutes()).isEmpty();

        StageSpec live = spec.inputs().get(1);
        assertThat(live.uri()).isEqualTo("tail:///var/log/suricata/eve.json");
        assertThat(live.defaultAnalyzer()).isNull();
        assertThat(live.key()).isNull();
        assertThat(live.parallelism()).isEqualTo(1);
        assertThat(live.analyzerRoutes()).containsExactly("dyn");

        assertThat(spec.inputs().get(2).uri())
                .isEqualTo("kafka://127.0.0.1:9092,broker2:9093/eve?group=dragonfly");

        StageSpec triage = spec.analyzer("triage").orElseThrow();
        assertThat(triage.uri()).isNull();
        assertThat(triage.defaultAnalyzer()).isEqualTo("sink");
        assertThat(triage.defaultOutput()).isEqualTo("alerts");
        assertThat(triage.key()).isEqualTo("dns.rrname");
        assertThat(triage.parallelism()).isEqualTo(4);
        assertThat(triage.concurrency()).isEqualTo(16);
        assertThat(live.concurrency()).as("the default").isEqualTo(1);
        assertThat(triage.analyzerRoutes()).containsExactly("sink", "dyn");
        assertThat(triage.outputRoutes()).containsExactly("alerts", "debug", "log");

        StageSpec dyn = spec.analyzer("dyn").orElseThrow();
        assertThat(dyn.script()).isEqualTo(f.root.resolve("analyzer/dga/dyn.lua"));
        StageSpec sink = spec.analyzer("sink").orElseThrow();
        assertThat(sink.defaultAnalyzer()).isEmpty();
        assertThat(sink.analyzerRoutes()).isEmpty();
        assertThat(sink.outputRoutes()).containsExactly("log");

        assertThat(spec.outputs())
                .containsExactly(
                        new OutputSpec(1, "alerts", "kafka://127.0.0.1:9092/alerts"),
                        new OutputSpec(2, "log", "file://" + f.logDir.resolve("eve-mle.log")),
                        new OutputSpec(3, "debug", "file:///tmp/debug.log"),
                        new OutputSpec(4, "sink", "unix:///run/sink.sock"),
                        new OutputSpec(
                                0, "errors", "file://" + f.logDir.resolve("dragonfly-errors.log")));
        assertThat(spec.output("errors").orElseThrow().describe())
                .isEqualTo("built-in output \"errors\"");
    }

    @Test
    void fullConfigWarnsAboutTyposDeadTagsAndIgnoredTables() throws Exception {
        ConfigFixture f = fullFixture();
        f.load();

        assertThat(f.warnings)
                .anySatisfy(
                        w ->
                                assertThat(w)
                                        .contains(f.configFile().toString())
                                        .contains("analyzers[2] (tag \"dyn\")")
                                        .contains("paralelism"))
                .anySatisfy(
                        w ->
                                assertThat(w)
                                        .contains("analyzer/triage.lua:8")
                                        .contains("analyze_event(\"nosuch\"")
                                        .contains("errors output"))
                .anySatisfy(w -> assertThat(w).contains("responders"))
                .noneSatisfy(w -> assertThat(w).contains("redis-ml"))
                .noneSatisfy(w -> assertThat(w).contains("hunter2-secret"));
        assertThat(String.join("\n", f.warnings)).doesNotContain("commented", "block", "instring");
    }

    @Test
    void secretsAreNotInToString() throws Exception {
        ConfigFixture f = fullFixture();
        assertThat(f.load().toString()).doesNotContain("hunter2-secret").contains("password=***");
    }

    @Test
    void cEngineConfigWithoutTheNewFieldsLoads() throws Exception {
        ConfigFixture f =
                new ConfigFixture(tmp)
                        .config(
                                """
                                redis_host = "127.0.0.1"
                                redis_port = "6379"
                                inputs = {
                                   { tag="eve", uri="tail:///var/log/suricata/eve.json",
                                     script="internal-ip.lua", default_analyzer="hll"},
                                }
                                analyzers = {
                                   { tag="hll", script="connection-count-hll.lua",
                                     default_analyzer="sink", default_output="debug" },
                                   { tag="sink", script="write-to-log.lua" , default_analyzer="",
                                     default_output="log"},
                                }
                                outputs = {
                                    { tag="log", uri="file://dragonfly-hll-test.log"},
                                    { tag="debug", uri="file://dragonfly-hll-test-debug.log"},
                                }
                                """)
                        .filter(
                                "internal-ip.lua",
                                "function setup() end\nfunction loop(msg)\n  dragonfly.analyze_event(default_analyzer, msg)\nend\n")
                        .analyzer(
                                "connection-count-hll.lua",
                                "function loop(msg) dragonfly.analyze_event(default_analyzer, msg) end")
                        .analyzer(
                                "write-to-log.lua",
                                "function loop(msg) dragonfly.output_event(default_output, msg) end");

        PipelineSpec spec = f.load();

        assertThat(spec.redis()).isEqualTo(RedisSpec.defaults());
        assertThat(spec.checkpoint()).isEqualTo(CheckpointSpec.defaults());
        assertThat(spec.limits()).isEqualTo(Limits.defaults());
        assertThat(spec.inputs())
                .singleElement()
                .satisfies(i -> assertThat(i.analyzerRoutes()).containsExactly("hll"));
        assertThat(spec.analyzers())
                .extracting(StageSpec::tag, StageSpec::parallelism, StageSpec::key)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("hll", 1, null),
                        org.assertj.core.groups.Tuple.tuple("sink", 1, null));
        assertThat(spec.outputs())
                .extracting(OutputSpec::tag)
                .containsExactly("log", "debug", "errors");
        assertThat(f.warnings).isEmpty();
    }

    @Test
    void oldCEngineConfigWithSharedTagsAndGlobalRoutingCallsLoads() throws Exception {
        ConfigFixture f =
                new ConfigFixture(tmp)
                        .config(
                                """
                                inputs = {
                                   { tag="eve", uri="tail:///var/log/suricata/eve.json", script="suricata-filter.lua"}
                                }
                                analyzers = {
                                   { tag="alert", script="example-alert.lua" },
                                   { tag="nsm", script="example-nsm.lua" },
                                }
                                outputs = {
                                    { tag="alert", uri="file://alerts.log"},
                                    { tag="nsm", uri="file://nsm.log"},
                                }
                                """)
                        .filter(
                                "suricata-filter.lua",
                                """
                                function loop(msg)
                                    local eve = cjson.decode(msg)
                                    if eve and eve.event_type == "alert" then
                                        analyze_event ("alert", msg)
                                    else
                                        analyze_event("nsm", msg)
                                    end
                                end
                                """)
                        .analyzer(
                                "example-alert.lua",
                                "function loop(m) output_event(\"alert\", m) end")
                        .analyzer("example-nsm.lua", "function loop(m) output_event('nsm', m) end");

        PipelineSpec spec = f.load();

        assertThat(spec.inputs().get(0).analyzerRoutes()).containsExactly("alert", "nsm");
        assertThat(spec.analyzer("alert").orElseThrow().outputRoutes()).containsExactly("alert");
        assertThat(spec.analyzer("alert").orElseThrow().analyzerRoutes()).isEmpty();
    }

    @Test
    void userErrorsOutputReplacesTheBuiltInOne() throws Exception {
        ConfigFixture f =
                new ConfigFixture(tmp)
                        .basicScripts()
                        .config(
                                """
                                inputs = { { tag="eve", uri="file:///data/eve.json", script="eve.lua", default_analyzer="triage" } }
                                analyzers = { { tag="triage", script="triage.lua", default_output="errors" } }
                                outputs = { { tag="errors", uri="kafka://k:9092/dragonfly-errors" } }
                                """);

        PipelineSpec spec = f.load();

        assertThat(spec.outputs())
                .containsExactly(new OutputSpec(1, "errors", "kafka://k:9092/dragonfly-errors"));
        assertThat(spec.analyzers().get(0).outputRoutes()).containsExactly("errors");
    }

    @Test
    void selfTimerAddsNoRouteAndTimerToAnotherAnalyzerDoes() throws Exception {
        ConfigFixture f =
                new ConfigFixture(tmp)
                        .basicScripts()
                        .analyzer(
                                "flush.lua",
                                """
                                function setup() dragonfly.timer_event("flush", 60, {}) end
                                function loop(m) dragonfly.timer_event("triage", 5, m) end
                                """)
                        .config(
                                """
                                inputs = { { tag="eve", uri="file:///e.json", script="eve.lua", default_analyzer="flush" } }
                                analyzers = {
                                  { tag="flush", script="flush.lua" },
                                  { tag="triage", script="triage.lua", default_output="out" },
                                }
                                outputs = { { tag="out", uri="file://out.json" } }
                                """);

        assertThat(f.load().analyzer("flush").orElseThrow().analyzerRoutes())
                .containsExactly("triage");
    }

    @Test
    void moreStagesThanTheLimitAreRefusedBeforeAnyScriptIsCompiled() {
        ConfigFixture f =
                new ConfigFixture(tmp)
                        .basicScripts()
                        .config(
                                """
                                limits = { max_stages = 3 }
                                inputs = {}
                                for i = 1, 10000 do
                                  inputs[i] = { tag = "in" .. i, uri = "file:///e.json", script = "eve.lua", default_analyzer = "" }
                                end
                                analyzers = {}
                                outputs = {}
                                """);

        assertThatThrownBy(f::load)
                .isInstanceOf(ConfigException.class)
                .hasMessage(
                        f.configFile().toAbsolutePath().normalize()
                                + ": 10000 inputs and analyzers, more than limits.max_stages = 3");
    }

    @Test
    void configLuaMayComputeItsTables() throws Exception {
        ConfigFixture f =
                new ConfigFixture(tmp)
                        .basicScripts()
                        .config(
                                """
                                local function out(tag) return { tag = tag, uri = "file://" .. tag .. ".log" } end
                                inputs = { { tag="eve", uri="file:///e.json", script="eve.lua", default_analyzer="triage" } }
                                analyzers = {}
                                for _, t in ipairs({"triage"}) do
                                  table.insert(analyzers, { tag = t, script = t .. ".lua", default_output = string.upper("a"):lower() })
                                end
                                outputs = { out("a"), out("b") }
                                print("config built")
                                """);

        PipelineSpec spec = f.load();

        assertThat(spec.outputs()).extracting(OutputSpec::tag).containsExactly("a", "b", "errors");
        assertThat(f.warnings).isEmpty();
        assertThat(f.notes).singleElement().asString().endsWith("config.lua: config built");
    }

    @Test
    void redisMlModulesAreNotedAsAnsweredNatively() throws Exception {
        ConfigFixture f = fullFixture();
        f.load();
        assertThat(f.notes)
                .singleElement()
                .asString()
                .contains("modules[1]", "redis-ml.so", "answered by the engine");
    }
}
