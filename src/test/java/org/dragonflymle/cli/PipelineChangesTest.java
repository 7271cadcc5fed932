package org.dragonflymle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Set;
import org.dragonflymle.config.PipelineSpec;
import org.dragonflymle.config.StageSpec;
import org.dragonflymle.config.loader.ConfigLoader;
import org.dragonflymle.testutils.TestRoots;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a reload says it changes, which stages it checks first, and what it refuses. */
class PipelineChangesTest {

    @TempDir Path dir;

    private PipelineSpec load(String name, String extraAnalyzer, String extraConfig)
            throws Exception {
        Path root = dir.resolve("root"); // one ROOT, as a reload sees it; name tells versions apart
        TestRoots.write(
                root,
                "config/config.lua",
                """
                inputs = { { tag="eve", uri="tail:///tmp/eve.json", script="f.lua",
                             default_analyzer="a" } }
                analyzers = {
                  { tag="a", script="a.lua", default_output="out" },
                  %s
                }
                outputs = { { tag="out", uri="file://out.json" } }
                %s
                """
                        .formatted(extraAnalyzer, extraConfig));
        String loop = "function loop(msg) dragonfly.output_event(default_output, msg) end\n";
        TestRoots.write(root, "filter/f.lua", loop);
        TestRoots.write(root, "analyzer/a.lua", loop);
        TestRoots.write(root, "analyzer/b.lua", loop);
        return ConfigLoader.load(root, dir.resolve("logs"));
    }

    private static final String B = "{ tag=\"b\", script=\"b.lua\", default_output=\"out\" },";

    @Test
    void anEditedScriptIsCheckedAloneAndNothingIsDropped() throws Exception {
        PipelineSpec before = load("r1", B, "");
        PipelineSpec after = load("r2", B, "");
        PipelineChanges c = PipelineChanges.between(before, after, Set.of("analyzer/b.lua"));
        assertThat(c.lines())
                .containsExactly("analyzers[2] (tag \"b\"): script analyzer/b.lua edited");
        assertThat(c.toCheck()).extracting(StageSpec::tag).containsExactly("b");
        assertThat(c.dropped()).isEmpty();
        assertThat(c.refusal()).isNull();
        assertThat(PipelineChanges.between(before, after, Set.of()).none()).isTrue();
    }

    @Test
    void aRemovedStageHasItsStateDroppedAndAModuleChangeChecksEveryStage() throws Exception {
        PipelineSpec before = load("r1", B, "");
        PipelineSpec after = load("r2", "", "");
        PipelineChanges c = PipelineChanges.between(before, after, Set.of("analyzer/lib.lua"));
        assertThat(c.lines())
                .contains("analyzers[2] (tag \"b\"): removed; its state is dropped")
                .contains("files changed: analyzer/lib.lua");
        assertThat(c.dropped()).containsExactly("analyzer \"b\"");
        assertThat(c.toCheck()).extracting(StageSpec::tag).containsExactlyInAnyOrder("eve", "a");
    }

    @Test
    void anotherRedisIsRefusedButAnotherDatabaseIsNot() throws Exception {
        PipelineSpec before = load("r1", "", "redis_port = 7000");
        assertThat(
                        PipelineChanges.between(
                                        before, load("r2", "", "redis_port = 7001"), Set.of())
                                .refusal())
                .contains("a reload keeps the engine's Redis");
        assertThat(
                        PipelineChanges.between(
                                        before,
                                        load("r3", "", "redis_port = 7000\nredis_user = \"ids\""),
                                        Set.of())
                                .refusal())
                .as("another ACL user")
                .contains("redis_user");
        PipelineChanges db =
                PipelineChanges.between(
                        before, load("r4", "", "redis_port = 7000\nredis_db = 3"), Set.of());
        assertThat(db.refusal()).isNull();
        assertThat(db.lines()).contains("redis_db 0 -> 3");
        assertThat(db.toCheck()).hasSize(2);
    }
}
