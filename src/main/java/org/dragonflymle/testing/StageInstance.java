package org.dragonflymle.testing;

import java.util.List;
import java.util.Map;
import org.dragonflymle.config.PipelineSpec;
import org.dragonflymle.config.StageKind;
import org.dragonflymle.config.StageSpec;
import org.dragonflymle.errors.ErrorReason;
import org.dragonflymle.event.Event;
import org.dragonflymle.event.JsonDecoder;
import org.dragonflymle.event.JsonFormatException;
import org.dragonflymle.event.JsonValidator;
import org.dragonflymle.event.LuaJsonWriter;
import org.dragonflymle.graph.EventKeySelector;
import org.dragonflymle.lua.ScriptException;
import org.dragonflymle.lua.ScriptHost;
import org.dragonflymle.lua.ScriptSetupException;
import org.dragonflymle.lua.api.EventRouter;
import org.dragonflymle.lua.api.ScriptContext;
import org.dragonflymle.lua.lib.CjsonLib;
import org.dragonflymle.lua.lib.DragonflyLib;
import org.dragonflymle.lua.lib.HiredisLib;
import org.dragonflymle.lua.lib.StateLib;
import org.luaj.vm2.LuaValue;

/**
 * One stage of a test run: the stage's real script in a real {@link ScriptHost} with the modules
 * {@code ScriptOperator} gives it, and the routing rules {@code ScriptOperator} applies – what a
 * script may route to is its route set, anything else is an {@code unknown_route} error record; a
 * Lua error costs that event only. Emitted values are encoded on the spot, as the engine does.
 *
 * <p>Keep the module list and the routing checks in step with {@code ScriptOperator}: this class is
 * only worth having while it behaves like the operator.
 */
final class StageInstance implements EventRouter, AutoCloseable {

    private final PipelineRun run;
    private final PipelineSpec pipeline;
    private final StageSpec stage;
    private final LuaJsonWriter writer = new LuaJsonWriter();
    private final JsonValidator validator;
    private final HiredisLib hiredis;
    private final ScriptHost host;
    private final EventKeySelector keys;
    private final MemoryScriptState state;
    private final MemoryMetrics metrics = new MemoryMetrics();
    private byte[] current;
    private boolean currentIsJson;

    StageInstance(PipelineRun run, PipelineSpec pipeline, StageSpec stage) {
        this.run = run;
        this.pipeline = pipeline;
        this.stage = stage;
        this.validator = new JsonValidator(pipeline.limits().maxNestingDepth());
        ScriptContext ctx = ScriptContext.forStage(stage, pipeline.root(), pipeline.logDir(), null);
        this.hiredis =
                new HiredisLib(
                        pipeline.redis(), new org.dragonflymle.ml.command.RedisMlInterceptor());
        LuaValue stateTable;
        if (stage.key() != null) {
            this.keys = new EventKeySelector(stage.key(), pipeline.limits().maxNestingDepth());
            this.state = new MemoryScriptState(stage.describe());
            stateTable = StateLib.table(state);
        } else {
            this.keys = null;
            this.state = null;
            stateTable = StateLib.unavailable(stage.describe());
        }
        Map<String, LuaValue> extensions = Map.of("state", stateTable, "metric", metrics);
        this.host =
                new ScriptHost(
                        ctx,
                        List.of(new DragonflyLib(this, ctx, extensions), new CjsonLib(), hiredis));
    }

    /** dragonfly.state after the run: key → name → marshal bytes; empty without key=. */
    Map<String, Map<String, byte[]>> state() {
        return state == null ? Map.of() : state.snapshot();
    }

    /** dragonfly.metric counters after the run. */
    Map<String, Long> metrics() {
        return metrics.snapshot();
    }

    StageSpec stage() {
        return stage;
    }

    void start() throws ScriptSetupException {
        host.start();
    }

    /** An event from outside (a test step): checked like an input line, then run. */
    void acceptLine(byte[] line) {
        current = line;
        currentIsJson = false;
        if (line.length > pipeline.limits().maxEventBytes()) {
            reject(
                    ErrorReason.OVERSIZED,
                    "line of "
                            + line.length
                            + " bytes exceeds max_event_bytes "
                            + pipeline.limits().maxEventBytes());
            return;
        }
        try {
            validator.validate(line, 0, line.length);
        } catch (JsonFormatException e) {
            reject(reasonOf(e), e.getMessage());
            return;
        }
        currentIsJson = true;
        runLoop(line, keyOf(line));
    }

    /** An event another stage routed here, or a due timer set by another stage: trusted JSON. */
    void acceptJson(byte[] json) {
        current = json;
        currentIsJson = true;
        runLoop(json, keyOf(json));
    }

    /** A due timer this stage set for itself: runs under the key it was set with. */
    void acceptTimer(byte[] json, String key) {
        current = json;
        currentIsJson = true;
        runLoop(json, keys == null ? null : key);
    }

    private String keyOf(byte[] json) {
        return keys == null ? null : keys.getKey(Event.json(json));
    }

    private void runLoop(byte[] json, String key) {
        if (state != null) {
            state.setKey(key);
        }
        try {
            host.loop(JsonDecoder.decode(json, 0, json.length));
        } catch (ScriptException e) {
            reject(ErrorReason.SCRIPT_ERROR, e.getMessage());
        }
    }

    private static ErrorReason reasonOf(JsonFormatException e) {
        return switch (e.reason()) {
            case INVALID_UTF8 -> ErrorReason.INVALID_UTF8;
            case TOO_DEEP -> ErrorReason.TOO_DEEP;
            case MALFORMED_JSON -> ErrorReason.MALFORMED_JSON;
        };
    }

    @Override
    public void analyze(String tag, LuaValue value) {
        if (!stage.analyzerRoutes().contains(tag)) {
            unknownRoute("analyzer", tag);
            return;
        }
        run.toAnalyzer(stage.tag(), tag, writer.encode(value));
    }

    @Override
    public void output(String tag, LuaValue value) {
        if (pipeline.output(tag).isEmpty()) {
            unknownRoute("output", tag);
            return;
        }
        run.toOutput(stage.tag(), tag, writer.encode(value));
    }

    @Override
    public void log(LuaValue value) {
        run.toLog(stage.tag(), writer.encode(value));
    }

    @Override
    public void stats(LuaValue value) {
        run.toStats(stage.tag(), writer.encode(value));
    }

    @Override
    public void timer(String tag, double seconds, LuaValue value) {
        boolean toSelf = stage.kind() == StageKind.ANALYZER && tag.equals(stage.tag());
        if (!toSelf && !stage.analyzerRoutes().contains(tag)) {
            unknownRoute("analyzer", tag);
            return;
        }
        run.timer(stage.tag(), tag, seconds, writer.encode(value), state == null ? null : key());
    }

    private String key() {
        return state.key();
    }

    private void unknownRoute(String kind, String tag) {
        String declared =
                kind.equals("analyzer")
                        ? stage.sortedAnalyzerRoutes().toString()
                        : pipeline.outputs().stream().map(o -> o.tag()).toList().toString();
        reject(
                ErrorReason.UNKNOWN_ROUTE,
                "no "
                        + kind
                        + " \""
                        + tag
                        + "\" to route to from "
                        + stage.scriptName()
                        + " (this stage routes to "
                        + declared
                        + "; a computed tag must be listed in routes=)");
    }

    private void reject(ErrorReason reason, String message) {
        run.toError(stage, reason, message, current, currentIsJson);
    }

    @Override
    public void close() {
        host.close();
        hiredis.close();
    }
}
