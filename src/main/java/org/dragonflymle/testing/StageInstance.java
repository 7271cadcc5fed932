package org.dragonflymle.testing;

import java.util.Map;
import java.util.TreeMap;
import org.dragonflymle.config.PipelineSpec;
import org.dragonflymle.config.StageSpec;
import org.dragonflymle.event.Event;
import org.dragonflymle.graph.EventKeySelector;
import org.dragonflymle.lua.ScriptSetupException;
import org.dragonflymle.lua.api.ScriptContext;
import org.dragonflymle.shadow.ShadowCase;
import org.dragonflymle.shadow.ShadowDiff;
import org.dragonflymle.stage.StageBindings;
import org.dragonflymle.stage.StageObserver;
import org.dragonflymle.stage.StageOutput;
import org.dragonflymle.stage.StageRuntime;

/**
 * One stage of a test run: the engine's own {@link StageRuntime} (the stage's script, modules,
 * budgets, validation, routing rules and error records, exactly as {@code ScriptOperator} runs
 * them), bound to the test run instead of Flink. What is left here is what Flink does around a
 * stage in the engine: choosing the key of each event for {@code dragonfly.state}, and delivering
 * what the stage emits ({@link PipelineRun}).
 */
final class StageInstance implements StageOutput, AutoCloseable {

    private final PipelineRun run;
    private final StageSpec stage;
    private final EventKeySelector keys;
    private final MemoryScriptState state;
    private final Map<String, Long> counters = new TreeMap<>();
    private final StageRuntime runtime;
    // only for a shadowed analyzer in a run that compares shadows (dragonfly-mle test --shadow)
    private final ShadowTwin shadow;

    StageInstance(PipelineRun run, PipelineSpec pipeline, StageSpec stage) {
        this.run = run;
        this.stage = stage;
        if (stage.key() != null) {
            this.keys = new EventKeySelector(stage.key(), pipeline.limits().maxNestingDepth());
            this.state = new MemoryScriptState(stage.describe());
        } else {
            this.keys = null;
            this.state = null;
        }
        ScriptContext ctx = ScriptContext.forStage(stage, pipeline.root(), pipeline.logDir(), null);
        this.runtime =
                new StageRuntime(
                        pipeline,
                        stage,
                        ctx,
                        new StageBindings(
                                state,
                                (name, n) -> counters.merge(name, n, Long::sum),
                                this,
                                StageObserver.NONE));
        this.shadow =
                run.comparesShadows() && pipeline.shadow(stage.tag()).isPresent()
                        ? new ShadowTwin(pipeline, stage, pipeline.shadow(stage.tag()).get())
                        : null;
    }

    /** dragonfly.state after the run: key → name → marshal bytes; empty without key=. */
    Map<String, Map<String, byte[]>> state() {
        return state == null ? Map.of() : state.snapshot();
    }

    /** dragonfly.metric counters after the run. */
    Map<String, Long> metrics() {
        return counters;
    }

    StageSpec stage() {
        return stage;
    }

    void start() throws ScriptSetupException {
        runtime.start();
        if (shadow != null) {
            String failure = shadow.start();
            if (failure != null) {
                run.shadowDiff(stage.tag(), "{\"shadow_off\":\"setup failed\"}", failure);
            }
        }
    }

    /** An event from outside (a test step): checked like an input line, then run. */
    void acceptLine(byte[] line) {
        setKey(line);
        if (shadow == null) {
            runtime.acceptLine(line);
            return;
        }
        shadow.live.begin();
        runtime.acceptLine(line);
        compare(Event.line(line), () -> shadow.runtime.acceptLine(line));
    }

    /** An event another stage routed here, or a due timer set by another stage: trusted JSON. */
    void acceptJson(byte[] json) {
        setKey(json);
        if (shadow == null) {
            runtime.acceptJson(json);
            return;
        }
        shadow.live.begin();
        runtime.acceptJson(json);
        compare(Event.json(json), () -> shadow.runtime.acceptJson(json));
    }

    /** The shadow gets the event the live version just handled; a difference is reported. */
    private void compare(Event event, Runnable runShadow) {
        ShadowCase c =
                new ShadowCase(
                        event.kind().ordinal(),
                        event.bytes(),
                        event.fullLength(),
                        shadow.live.end());
        if (!shadow.started) {
            return;
        }
        if (shadow.state != null) {
            shadow.state.setKey(state.key());
        }
        shadow.own.begin();
        runShadow.run();
        ShadowDiff.Result r = shadow.diff.compare(c, shadow.own.end());
        if (!r.identical()) {
            run.shadowDiff(
                    stage.tag(),
                    new String(r.line(), java.nio.charset.StandardCharsets.UTF_8),
                    null);
        }
    }

    /** A due timer this stage set for itself: runs under the key it was set with. */
    void acceptTimer(byte[] json, String key) {
        if (state != null) {
            state.setKey(key);
        }
        runtime.acceptJson(json);
    }

    /**
     * The key Flink's key selector gives the event in the engine. A line that is not JSON gets
     * none: the runtime rejects it before {@code loop} could use the state.
     */
    private void setKey(byte[] json) {
        if (state == null) {
            return;
        }
        String key;
        try {
            key = keys.getKey(Event.json(json));
        } catch (RuntimeException e) {
            key = null;
        }
        state.setKey(key);
    }

    // ---- StageOutput: what the runtime emits goes to the test run ----

    @Override
    public void toAnalyzer(String tag, byte[] json) {
        if (shadow != null) {
            shadow.live.analyzer(tag, json);
        }
        run.toAnalyzer(stage.tag(), tag, json);
    }

    @Override
    public void toOutput(String tag, byte[] json) {
        if (shadow != null) {
            shadow.live.output(tag, json);
        }
        run.toOutput(stage.tag(), tag, json);
    }

    @Override
    public void toLog(byte[] json) {
        if (shadow != null) {
            shadow.live.log(json);
        }
        run.toLog(stage.tag(), json);
    }

    @Override
    public void toStats(byte[] json) {
        if (shadow != null) {
            shadow.live.stats(json);
        }
        run.toStats(stage.tag(), json);
    }

    @Override
    public void toErrors(byte[] record) {
        if (shadow != null) {
            shadow.live.error(record);
        }
        run.toErrors(stage.tag(), record);
    }

    @Override
    public void timer(String tag, long delayMillis, byte[] json) {
        if (shadow != null) {
            shadow.live.timer(tag, json);
        }
        run.timer(stage.tag(), tag, delayMillis, json, state == null ? null : state.key());
    }

    @Override
    public void close() {
        runtime.close();
        if (shadow != null) {
            shadow.runtime.close();
        }
    }
}
