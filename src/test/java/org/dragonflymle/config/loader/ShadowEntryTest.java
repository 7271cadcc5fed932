package org.dragonflymle.config.loader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.dragonflymle.config.loader.ConfigFixture.INPUT;
import static org.dragonflymle.config.loader.ConfigFixture.OUTPUT;

import java.nio.file.Path;
import org.dragonflymle.config.PipelineSpec;
import org.dragonflymle.config.ShadowSpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** An analyzer's {@code shadow = { script, redis_db }}: read, and every way it can be wrong. */
class ShadowEntryTest {

    @TempDir Path tmp;
    private ConfigFixture f;

    @BeforeEach
    void setUp() {
        f = new ConfigFixture(tmp);
        f.analyzer(
                "triage-v2.lua",
                "function loop(msg) dragonfly.analyze_event(\"enrich\", msg) end\n");
        f.analyzer("enrich.lua", "function loop(msg) end\n");
    }

    private ConfigFixture withShadow(String shadow, String extra) {
        return f.pipeline(
                INPUT,
                "{ tag=\"triage\", script=\"triage.lua\", default_output=\"alerts\", shadow="
                        + shadow
                        + " },\n  { tag=\"enrich\", script=\"enrich.lua\" },"
                        + extra,
                OUTPUT);
    }

    @Test
    void aShadowIsReadWithItsScriptDatabaseAndTheRoutesItsScriptNames() throws Exception {
        PipelineSpec spec = withShadow("{ script=\"triage-v2.lua\", redis_db=4 }", "").load();

        ShadowSpec s = spec.shadow("triage").orElseThrow();
        assertThat(s.scriptPath()).endsWith(Path.of("analyzer/triage-v2.lua"));
        assertThat(s.redisDb()).isEqualTo(4);
        assertThat(s.literalRoutes()).containsExactly("enrich");
        assertThat(s.stageOf(spec.analyzer("triage").orElseThrow()).analyzerRoutes())
                .contains("enrich");
        assertThat(spec.shadow("enrich")).isEmpty();
        assertThat(f.warnings).isEmpty();
    }

    @Test
    void withoutRedisDbTheLauncherChooses() throws Exception {
        PipelineSpec spec = withShadow("{ script=\"triage-v2.lua\" }", "").load();
        assertThat(spec.shadow("triage").orElseThrow().redisDb()).isEqualTo(ShadowSpec.NEXT_FREE);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "\"triage-v2.lua\"|shadow must be a table like",
                "{ script=\"triage-v2.lua\", redis=2 }|shadow has unknown fields redis",
                "{ redis_db=2 }|missing shadow.script",
                "{ script=\"nope.lua\" }|script analyzer/nope.lua not found",
                "{ script=\"triage-v2.lua\", redis_db=16 }|shadow.redis_db must be an integer 0..15",
                "{ script=\"triage-v2.lua\", redis_db=1.5 }|shadow.redis_db must be an integer",
                "{ script=\"triage-v2.lua\", redis_db=\"2\" }|shadow.redis_db must be an integer",
                "{ script=\"triage-v2.lua\", redis_db=0 }|is the live analyzers' database",
            })
    void aBadShadowIsRefusedNamingTheEntry(String shadow, String problem) {
        String message = withShadow(shadow, "").failure();
        f.assertNames(message, "analyzers[1] (tag \"triage\")", problem);
    }

    /** A config with {@code globals} first and one shadowed analyzer. */
    private ConfigFixture withGlobals(String globals, String shadow) {
        f.basicScripts();
        return f.config(
                globals
                        + "\ninputs = { "
                        + INPUT
                        + " }\nanalyzers = { { tag=\"triage\", script=\"triage.lua\","
                        + " default_output=\"alerts\", shadow="
                        + shadow
                        + " }, { tag=\"enrich\", script=\"enrich.lua\" } }\noutputs = { "
                        + OUTPUT
                        + " }\n");
    }

    @Test
    void theLiveDatabaseIsRedisDb() {
        String message =
                withGlobals("redis_db = 5", "{ script=\"triage-v2.lua\", redis_db=5 }").failure();
        f.assertNames(message, "analyzers[1]", "shadow.redis_db = 5 is the live");
    }

    @Test
    void twoShadowsCannotShareADatabase() {
        String message =
                f.pipeline(
                                INPUT,
                                "{ tag=\"triage\", script=\"triage.lua\", default_output=\"alerts\","
                                        + " shadow={ script=\"triage-v2.lua\", redis_db=2 } },\n"
                                        + "  { tag=\"enrich\", script=\"enrich.lua\","
                                        + " shadow={ script=\"enrich.lua\", redis_db=2 } },",
                                OUTPUT)
                        .failure();
        f.assertNames(message, "analyzers[2] (tag \"enrich\")", "also the shadow of \"triage\"");
    }

    @Test
    void theShadowsOperatorNameMustBeFree() {
        String message =
                withShadow(
                                "{ script=\"triage-v2.lua\" }",
                                "\n  { tag=\"triage.shadow\", script=\"enrich.lua\" },")
                        .failure();
        f.assertNames(message, "analyzers[1]", "already the tag of analyzers[3]");
    }

    @Test
    void aRedisClusterHasNoOtherDatabase() {
        String message =
                withGlobals(
                                "redis_cluster = { \"10.0.0.1:7000\" }",
                                "{ script=\"triage-v2.lua\", redis_db=2 }")
                        .failure();
        f.assertNames(message, "analyzers[1]", "a Redis Cluster has only database 0");
    }
}
