package org.dragonflymle.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.dragonflymle.config.OutputSpec;
import org.dragonflymle.config.PipelineSpec;
import org.dragonflymle.config.RedisSpec;
import org.dragonflymle.config.StageSpec;
import org.dragonflymle.config.loader.ConfigLoader;

/**
 * What a reload changes: the running pipeline against the one config.lua and ROOT now describe.
 * Stages and outputs are matched by tag (their Flink uid), so a stage keeps its state unless it is
 * removed; everything else is said line by line.
 *
 * <p>Which scripts are started against a throwaway Redis before anything stops ({@link #toCheck}):
 * every stage that is added, whose entry changed or whose script file changed; every stage when any
 * other file under ROOT changed (a module scripts {@code require}, a model they read) or when the
 * limits or the Redis database changed, since any script may depend on those.
 *
 * @param lines one line per change, for the terminal and the reload command
 * @param toCheck the stages of the new pipeline whose setup() is run first
 * @param dropped the removed stages and outputs whose state the new job does not restore
 * @param refusal why this change cannot be made by a reload, or null
 */
record PipelineChanges(
        List<String> lines, List<StageSpec> toCheck, List<String> dropped, String refusal) {

    /** Whether nothing changed. */
    boolean none() {
        return lines.isEmpty();
    }

    /**
     * @param before the running pipeline as config.lua described it (before the launcher pointed
     *     its Redis at a server it started)
     * @param after the pipeline config.lua describes now, as loaded
     * @param changedFiles files under ROOT that changed ({@link RootFiles#changedSince})
     */
    static PipelineChanges between(
            PipelineSpec before, PipelineSpec after, Set<String> changedFiles) {
        List<String> lines = new ArrayList<>();
        Set<StageSpec> check = new LinkedHashSet<>();
        List<String> dropped = new ArrayList<>();
        Set<String> stageScripts = new LinkedHashSet<>();
        for (StageSpec s : stages(after).values()) {
            stageScripts.add(s.scriptName());
        }
        for (StageSpec s : stages(before).values()) {
            stageScripts.add(s.scriptName());
        }
        ShadowChanges.scriptNames(before, stageScripts);
        ShadowChanges.scriptNames(after, stageScripts);
        Map<String, StageSpec> old = stages(before);
        Map<String, StageSpec> now = stages(after);
        for (StageSpec s : now.values()) {
            StageSpec was = old.get(s.tag());
            if (was == null || was.kind() != s.kind()) {
                lines.add(s.describe() + ": added (" + s.scriptName() + ")");
                check.add(s);
                continue;
            }
            List<String> what = entryChanges(was, s);
            if (changedFiles.contains(s.scriptName())) {
                what.add("script " + s.scriptName() + " edited");
            }
            if (!what.isEmpty()) {
                lines.add(s.describe() + ": " + String.join("; ", what));
                check.add(s);
            }
        }
        for (StageSpec s : old.values()) {
            StageSpec is = now.get(s.tag());
            if (is == null || is.kind() != s.kind()) {
                lines.add(s.describe() + ": removed; its state is dropped");
                dropped.add(s.kind().table().replaceAll("s$", "") + " \"" + s.tag() + "\"");
            }
        }
        outputChanges(before, after, lines, dropped);
        ShadowChanges.between(before, after, changedFiles, lines, check, dropped);
        Set<String> others = new LinkedHashSet<>(changedFiles);
        others.removeAll(stageScripts);
        others.remove(ConfigLoader.CONFIG_FILE);
        boolean checkAll = false;
        if (!others.isEmpty()) {
            lines.add("files changed: " + String.join(", ", others));
            checkAll = true;
        }
        if (!before.limits().equals(after.limits())) {
            lines.add("limits changed");
            checkAll = true;
        }
        if (!before.checkpoint().equals(after.checkpoint())) {
            lines.add("checkpoint settings changed");
        }
        String refusal = null;
        RedisSpec r0 = before.redis();
        RedisSpec r1 = after.redis();
        if (r0.database() != r1.database()) {
            lines.add("redis_db " + r0.database() + " -> " + r1.database());
            checkAll = true;
        }
        if (!r0.host().equals(r1.host())
                || r0.port() != r1.port()
                || !Objects.equals(r0.password(), r1.password())
                || !Objects.equals(r0.user(), r1.user())
                || r0.tls() != r1.tls()
                || !r0.topology().equals(r1.topology())) {
            refusal =
                    "the Redis settings changed (redis_host, redis_port, redis_password,"
                            + " redis_user, TLS, redis_cluster or redis_sentinel):"
                            + " a reload keeps the engine's Redis; restart the engine to use"
                            + " another one";
        }
        if (checkAll) {
            check.addAll(now.values());
        }
        return new PipelineChanges(
                List.copyOf(lines), List.copyOf(check), List.copyOf(dropped), refusal);
    }

    private static Map<String, StageSpec> stages(PipelineSpec spec) {
        Map<String, StageSpec> byTag = new LinkedHashMap<>();
        spec.inputs().forEach(s -> byTag.put(s.tag(), s));
        spec.analyzers().forEach(s -> byTag.put(s.tag(), s));
        return byTag;
    }

    /** What differs in the entry of a stage that exists before and after. */
    private static List<String> entryChanges(StageSpec was, StageSpec is) {
        List<String> what = new ArrayList<>();
        if (!Objects.equals(was.uri(), is.uri())) {
            what.add("uri changed");
        }
        if (!was.script().equals(is.script())) {
            what.add("script " + was.scriptName() + " -> " + is.scriptName());
        }
        if (!Objects.equals(was.key(), is.key())) {
            what.add(
                    "key "
                            + was.key()
                            + " -> "
                            + is.key()
                            + (was.key() != null && is.key() != null
                                    ? " (its state stays under the old keys)"
                                    : ""));
        }
        if (was.parallelism() != is.parallelism()) {
            what.add("parallelism " + was.parallelism() + " -> " + is.parallelism());
        }
        if (!Objects.equals(was.defaultAnalyzer(), is.defaultAnalyzer())
                || !Objects.equals(was.defaultOutput(), is.defaultOutput())
                || !was.analyzerRoutes().equals(is.analyzerRoutes())
                || !was.outputRoutes().equals(is.outputRoutes())) {
            what.add("routes changed");
        }
        return what;
    }

    private static void outputChanges(
            PipelineSpec before, PipelineSpec after, List<String> lines, List<String> dropped) {
        for (OutputSpec o : after.outputs()) {
            OutputSpec was = before.output(o.tag()).orElse(null);
            if (was == null) {
                lines.add(o.describe() + ": added");
            } else if (!was.uri().equals(o.uri())) {
                lines.add(o.describe() + ": uri changed");
            }
        }
        for (OutputSpec o : before.outputs()) {
            if (after.output(o.tag()).isEmpty()) {
                lines.add(o.describe() + ": removed");
                dropped.add("output \"" + o.tag() + "\"");
            }
        }
    }
}
