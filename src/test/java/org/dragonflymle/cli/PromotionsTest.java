package org.dragonflymle.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.dragonflymle.config.PipelineSpec;
import org.dragonflymle.config.loader.ConfigFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * reload --promote as an override: applied at every reload, said each time, ended by config.lua.
 */
class PromotionsTest {

    @TempDir Path tmp;

    private PipelineSpec load(String analyzer) throws Exception {
        ConfigFixture f = new ConfigFixture(tmp).basicScripts();
        Files.writeString(
                tmp.resolve("root/analyzer/triage-v2.lua"),
                "function loop(msg) dragonfly.output_event(default_output, msg) end\n");
        f.config(
                "inputs = { { tag=\"eve\", uri=\"file:///e.json\", script=\"eve.lua\","
                        + " default_analyzer=\"triage\" } }\nanalyzers = { "
                        + analyzer
                        + " }\noutputs = { { tag=\"alerts\", uri=\"file://alerts.log\" } }\n");
        return f.load();
    }

    @Test
    void aPromotedShadowRunsLiveUntilConfigLuaNamesItItself() throws Exception {
        PipelineSpec shadowed =
                load(
                        "{ tag=\"triage\", script=\"triage.lua\", default_output=\"alerts\","
                                + " shadow={ script=\"triage-v2.lua\" } }");
        Promotions p = Promotions.NONE.with(shadowed, "triage");

        List<String> lines = new ArrayList<>();
        Promotions.Applied applied = p.apply(shadowed, lines);
        assertThat(applied.pipeline().analyzer("triage").orElseThrow().scriptName())
                .isEqualTo("analyzer/triage-v2.lua");
        assertThat(applied.pipeline().shadows()).isEmpty();
        assertThat(lines)
                .singleElement()
                .asString()
                .contains("runs analyzer/triage-v2.lua, promoted from its shadow")
                .contains("config.lua still names analyzer/triage.lua");

        // a later config.lua without the shadow: the override still applies, and says so
        lines.clear();
        PipelineSpec plain =
                load("{ tag=\"triage\", script=\"triage.lua\", default_output=\"alerts\" }");
        applied = applied.promotions().apply(plain, lines);
        assertThat(applied.pipeline().analyzer("triage").orElseThrow().scriptName())
                .isEqualTo("analyzer/triage-v2.lua");
        assertThat(lines).singleElement().asString().contains("an override");

        // config.lua names the promoted script: the override ends
        lines.clear();
        PipelineSpec adopted =
                load("{ tag=\"triage\", script=\"triage-v2.lua\", default_output=\"alerts\" }");
        applied = applied.promotions().apply(adopted, lines);
        assertThat(applied.promotions().byTag()).isEmpty();
        assertThat(lines).singleElement().asString().contains("no longer an override");
    }

    @Test
    void onlyAShadowCanBePromoted() throws Exception {
        PipelineSpec plain =
                load("{ tag=\"triage\", script=\"triage.lua\", default_output=\"alerts\" }");
        assertThatThrownBy(() -> Promotions.NONE.with(plain, "triage"))
                .hasMessageContaining("analyzer \"triage\" has no shadow");
        assertThatThrownBy(() -> Promotions.NONE.with(plain, "nope"))
                .hasMessageContaining("no analyzer \"nope\"");
    }
}
