package org.dragonflymle.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dragonflymle.config.PipelineSpec;
import org.dragonflymle.config.ShadowSpec;
import org.dragonflymle.config.StageSpec;

/**
 * Shadows made live by {@code dragonfly-mle reload --promote TAG}: an override the launcher keeps
 * and applies to config.lua at every later reload, never an edit of config.lua (a config.lua is a
 * program; rewriting it is not the engine's to do). Every reload that applies an override says so;
 * an override ends when config.lua itself names the promoted script for that analyzer (then it is
 * no longer needed, and that is said too), when the analyzer is gone, or when the engine restarts
 * (a restart runs config.lua as written: the promotion line says to edit it).
 *
 * <p>A promoted analyzer keeps its tag, so its Flink state ({@code dragonfly.state}) stays; the
 * shadow's operator and its state are dropped. The promoted script's Redis is the live database
 * from then on: what the shadow kept in its own database stays there.
 *
 * @param byTag the promoted shadows by analyzer tag
 */
record Promotions(Map<String, ShadowSpec> byTag) {

    static final Promotions NONE = new Promotions(Map.of());

    Promotions {
        byTag = Map.copyOf(byTag);
    }

    /**
     * @return these promotions and the shadow of {@code tag} in {@code loaded}
     * @throws IllegalArgumentException when {@code loaded} has no such shadow (the message says)
     */
    Promotions with(PipelineSpec loaded, String tag) {
        ShadowSpec s =
                loaded.shadow(tag)
                        .orElseThrow(
                                () ->
                                        new IllegalArgumentException(
                                                "reload --promote "
                                                        + tag
                                                        + ": "
                                                        + (loaded.analyzer(tag).isPresent()
                                                                ? "analyzer \""
                                                                        + tag
                                                                        + "\" has no shadow in "
                                                                : "no analyzer \"" + tag + "\" in ")
                                                        + loaded.configFile()));
        Map<String, ShadowSpec> next = new LinkedHashMap<>(byTag);
        next.put(tag, s);
        return new Promotions(next);
    }

    /**
     * {@code loaded} with every override applied: the analyzer runs the promoted script (with the
     * routes it names), and no longer has that shadow. Overrides that ended are dropped.
     *
     * @param lines what was applied or dropped, one line each, for the terminal
     * @return the pipeline and the promotions still in force
     */
    Applied apply(PipelineSpec loaded, List<String> lines) {
        if (byTag.isEmpty()) {
            return new Applied(loaded, this);
        }
        Map<String, ShadowSpec> kept = new LinkedHashMap<>();
        List<StageSpec> analyzers = new ArrayList<>();
        Map<String, ShadowSpec> shadows = new LinkedHashMap<>(loaded.shadows());
        for (StageSpec live : loaded.analyzers()) {
            ShadowSpec p = byTag.get(live.tag());
            if (p == null) {
                analyzers.add(live);
                continue;
            }
            String promoted = loaded.root().relativize(p.scriptPath()).toString();
            if (live.script().equals(p.scriptPath())) {
                lines.add(
                        live.describe()
                                + ": config.lua names "
                                + promoted
                                + " itself now; the promotion is no longer an override");
                analyzers.add(live);
                continue;
            }
            kept.put(live.tag(), p);
            analyzers.add(p.stageOf(live));
            ShadowSpec configured = shadows.get(live.tag());
            if (configured != null && configured.script().equals(p.script())) {
                shadows.remove(live.tag());
            }
            lines.add(
                    live.describe()
                            + ": runs "
                            + promoted
                            + ", promoted from its shadow (an override: config.lua still names "
                            + live.scriptName()
                            + "; edit it to keep "
                            + promoted
                            + " after a restart)");
        }
        for (String tag : byTag.keySet()) {
            if (loaded.analyzer(tag).isEmpty()) {
                lines.add("the promotion of \"" + tag + "\" ends: config.lua has no such analyzer");
            }
        }
        PipelineSpec applied =
                new PipelineSpec(
                        loaded.root(),
                        loaded.logDir(),
                        loaded.configFile(),
                        loaded.redis(),
                        loaded.inputs(),
                        List.copyOf(analyzers),
                        loaded.outputs(),
                        loaded.checkpoint(),
                        loaded.limits(),
                        loaded.capabilities(),
                        shadows);
        return new Applied(applied, new Promotions(kept));
    }

    /** A pipeline with overrides applied, and the overrides still in force. */
    record Applied(PipelineSpec pipeline, Promotions promotions) {}
}
