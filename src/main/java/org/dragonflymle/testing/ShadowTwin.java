package org.dragonflymle.testing;

import java.util.Map;
import java.util.TreeMap;
import org.dragonflymle.config.PipelineSpec;
import org.dragonflymle.config.RedisSpec;
import org.dragonflymle.config.ShadowSpec;
import org.dragonflymle.config.StageSpec;
import org.dragonflymle.lua.ScriptSetupException;
import org.dragonflymle.lua.api.ScriptContext;
import org.dragonflymle.shadow.ShadowCapture;
import org.dragonflymle.shadow.ShadowDiff;
import org.dragonflymle.stage.StageBindings;
import org.dragonflymle.stage.StageObserver;
import org.dragonflymle.stage.StageOutput;
import org.dragonflymle.stage.StageRuntime;

/**
 * The shadow version of a stage in a test run ({@code dragonfly-mle test --shadow}): the engine's
 * {@link StageRuntime#shadow} (its own Lua state, its own Redis database of the throwaway server,
 * its own {@code dragonfly.state}), fed each event right after the live version, everything it
 * emits kept for the comparison ({@link ShadowDiff}) only, as in the engine's shadow operator.
 */
final class ShadowTwin {

    final ShadowCapture live = new ShadowCapture();
    final ShadowCapture own = new ShadowCapture();
    final ShadowDiff diff;
    final MemoryScriptState state;
    final StageRuntime runtime;
    boolean started;

    ShadowTwin(PipelineSpec pipeline, StageSpec liveStage, ShadowSpec shadow) {
        StageSpec stage = shadow.stageOf(liveStage);
        RedisSpec r = pipeline.redis();
        int db = shadow.redisDb() == ShadowSpec.NEXT_FREE ? r.database() + 1 : shadow.redisDb();
        PipelineSpec own =
                pipeline.withRedis(
                        new RedisSpec(
                                r.host(),
                                r.port(),
                                r.password(),
                                db,
                                r.tls(),
                                r.user(),
                                r.topology()));
        this.diff = new ShadowDiff(liveStage.tag());
        this.state = stage.key() == null ? null : new MemoryScriptState(stage.describe());
        Map<String, Long> counters = new TreeMap<>();
        StageOutput keep =
                new StageOutput() {
                    @Override
                    public void toAnalyzer(String tag, byte[] json) {
                        ShadowTwin.this.own.analyzer(tag, json);
                    }

                    @Override
                    public void toOutput(String tag, byte[] json) {
                        ShadowTwin.this.own.output(tag, json);
                    }

                    @Override
                    public void toLog(byte[] json) {
                        ShadowTwin.this.own.log(json);
                    }

                    @Override
                    public void toStats(byte[] json) {
                        ShadowTwin.this.own.stats(json);
                    }

                    @Override
                    public void toErrors(byte[] record) {
                        ShadowTwin.this.own.error(record);
                    }

                    @Override
                    public void timer(String tag, long delayMillis, byte[] json) {
                        ShadowTwin.this.own.timer(tag, json);
                    }
                };
        this.runtime =
                StageRuntime.shadow(
                        own,
                        stage,
                        ScriptContext.forStage(stage, pipeline.root(), pipeline.logDir(), null),
                        new StageBindings(
                                state,
                                (name, n) -> counters.merge(name, n, Long::sum),
                                keep,
                                StageObserver.NONE));
    }

    /**
     * @return null, or why the shadow could not start (it is then left out of the comparison)
     */
    String start() {
        try {
            runtime.start();
            started = true;
            return null;
        } catch (ScriptSetupException e) {
            return e.getMessage();
        }
    }
}
