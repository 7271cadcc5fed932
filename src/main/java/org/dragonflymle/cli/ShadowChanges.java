package org.dragonflymle.cli;

import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import org.dragonflymle.config.PipelineSpec;
import org.dragonflymle.config.ShadowSpec;
import org.dragonflymle.config.StageSpec;

/**
 * What a reload changes in the shadow analyzers ({@link PipelineChanges} asks): a shadow added,
 * removed (its operator's state is dropped), its script or database changed or its script edited. A
 * shadow whose script is new or changed is started against the throwaway Redis first, as a stage
 * is.
 */
final class ShadowChanges {

    private ShadowChanges() {}

    /** The shadow scripts of {@code spec}, as ROOT-relative names. */
    static void scriptNames(PipelineSpec spec, Collection<String> into) {
        for (ShadowSpec s : spec.shadows().values()) {
            into.add(name(spec, s.scriptPath()));
        }
    }

    static void between(
            PipelineSpec before,
            PipelineSpec after,
            Set<String> changedFiles,
            List<String> lines,
            Collection<StageSpec> check,
            List<String> dropped) {
        for (StageSpec live : after.analyzers()) {
            ShadowSpec is = after.shadow(live.tag()).orElse(null);
            ShadowSpec was = before.shadow(live.tag()).orElse(null);
            if (is == null) {
                continue;
            }
            String script = name(after, is.scriptPath());
            String what = null;
            if (was == null) {
                what = "shadow added (" + script + ")";
            } else if (!was.script().equals(is.script())) {
                what = "shadow script " + name(before, was.scriptPath()) + " -> " + script;
            } else if (changedFiles.contains(script)) {
                what = "shadow script " + script + " edited";
            } else if (was.redisDb() != is.redisDb()) {
                what = "shadow.redis_db changed";
            }
            if (what != null) {
                lines.add(live.describe() + ": " + what);
                check.add(is.stageOf(live));
            }
        }
        for (ShadowSpec was : before.shadows().values()) {
            if (after.shadow(was.tag()).isEmpty()) {
                lines.add(
                        "the shadow of \""
                                + was.tag()
                                + "\" ("
                                + name(before, was.scriptPath())
                                + ") removed; its state is dropped");
                dropped.add("shadow \"" + was.tag() + "\"");
            }
        }
    }

    private static String name(PipelineSpec spec, Path script) {
        return spec.root().relativize(script).toString().replace('\\', '/');
    }
}
