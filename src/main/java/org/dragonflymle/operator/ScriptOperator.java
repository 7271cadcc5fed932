package org.dragonflymle.operator;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeutils.base.LongSerializer;
import org.apache.flink.api.common.typeutils.base.StringSerializer;
import org.apache.flink.api.common.typeutils.base.array.BytePrimitiveArraySerializer;
import org.apache.flink.runtime.execution.SuppressRestartsException;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.InternalTimer;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.operators.Triggerable;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.OutputTag;
import org.dragonflymle.config.PipelineSpec;
import org.dragonflymle.config.StageKind;
import org.dragonflymle.config.StageSpec;
import org.dragonflymle.errors.ErrorReason;
import org.dragonflymle.errors.ErrorRecord;
import org.dragonflymle.event.Event;
import org.dragonflymle.event.JsonDecoder;
import org.dragonflymle.event.JsonFormatException;
import org.dragonflymle.event.JsonValidator;
import org.dragonflymle.event.LuaJsonWriter;
import org.dragonflymle.lua.ScriptException;
import org.dragonflymle.lua.ScriptHost;
import org.dragonflymle.lua.ScriptSetupException;
import org.dragonflymle.lua.api.EventRouter;
import org.dragonflymle.lua.api.ScriptContext;
import org.dragonflymle.lua.lib.CjsonLib;
import org.dragonflymle.lua.lib.DragonflyLib;
import org.dragonflymle.lua.lib.HiredisLib;
import org.dragonflymle.lua.lib.StateLib;
import org.dragonflymle.metrics.StatsOptions;
import org.dragonflymle.ml.command.RedisMlInterceptor;
import org.luaj.vm2.LuaValue;

/**
 * Runs one input or analyzer script: the Flink operator behind every stage of config.lua, one Lua
 * state per parallel instance, created in {@link #open()}.
 *
 * <p>Input stages validate each raw line once (malformed JSON, invalid UTF-8, excessive depth and
 * oversized lines become error records); analyzers trust what upstream wrote. Either way the script
 * gets a lazily decoded table. What the script routes is encoded on the spot, which is the deep
 * copy docs/lua-api.md promises, and unchanged parts are copied from the input bytes.
 *
 * <p>A Lua error in {@code loop} costs that event only: it goes to the error output with the
 * script, tag and message. A failing {@code setup} stops the job without restarts, since restarting
 * cannot fix a script.
 */
public final class ScriptOperator extends AbstractStreamOperator<Event>
        implements OneInputStreamOperator<Event, Event>,
                EventRouter,
                Triggerable<String, VoidNamespace> {

    private static final long serialVersionUID = 1L;

    private final PipelineSpec pipeline;
    private final StageSpec stage;
    private final RouteTags routes;
    private final String confinement;

    private transient ScriptHost host;
    private transient HiredisLib hiredis;
    private transient LuaJsonWriter writer;
    private transient JsonValidator validator;
    private transient StreamRecord<Event> outRecord;
    private transient Event current;
    private transient StageMetrics metrics;
    private transient KeyedTimers keyedTimers;
    private transient OperatorTimers operatorTimers;
    private transient ListState<byte[]> operatorTimerState;

    /**
     * @param confinement the {@code -c DIR} every script file access must stay inside, or null
     */
    public ScriptOperator(
            PipelineSpec pipeline, StageSpec stage, RouteTags routes, Path confinement) {
        this.pipeline = pipeline;
        this.stage = stage;
        this.routes = routes;
        this.confinement = confinement == null ? null : confinement.toString();
    }

    @Override
    public void open() throws Exception {
        super.open();
        writer = new LuaJsonWriter();
        validator = new JsonValidator(pipeline.limits().maxNestingDepth());
        outRecord = new StreamRecord<>(null);
        metrics = StageMetrics.register(stage, routes, getMetricGroup(), getRuntimeContext());
        ScriptContext ctx =
                ScriptContext.forStage(
                        stage,
                        pipeline.root(),
                        pipeline.logDir(),
                        confinement == null ? null : Path.of(confinement));
        LuaValue state;
        if (stage.key() != null) {
            state =
                    StateLib.table(
                            new KeyedScriptState(
                                    getRuntimeContext()
                                            .getMapState(
                                                    new MapStateDescriptor<>(
                                                            "dragonfly.state",
                                                            StringSerializer.INSTANCE,
                                                            BytePrimitiveArraySerializer
                                                                    .INSTANCE))));
            keyedTimers =
                    new KeyedTimers(
                            getInternalTimerService(
                                    "dragonfly.timers", VoidNamespaceSerializer.INSTANCE, this),
                            getRuntimeContext()
                                    .getMapState(
                                            new MapStateDescriptor<>(
                                                    "dragonfly.timer-values",
                                                    LongSerializer.INSTANCE,
                                                    BytePrimitiveArraySerializer.INSTANCE)));
        } else {
            state = StateLib.unavailable(stage.describe());
        }
        Map<String, LuaValue> extensions =
                Map.of("state", state, "metric", new UserMetrics(getMetricGroup()));
        // Redis-ML commands are answered in the engine, models shared through Redis
        hiredis = new HiredisLib(pipeline.redis(), new RedisMlInterceptor());
        hiredis.observeCalls(metrics.redis());
        host =
                new ScriptHost(
                        ctx,
                        List.of(new DragonflyLib(this, ctx, extensions), new CjsonLib(), hiredis));
        host.setLoopBudget(
                pipeline.limits().loopBudgetMillis(), pipeline.limits().loopMemoryBytes());
        try {
            host.start();
        } catch (ScriptSetupException e) {
            throw new SuppressRestartsException(e);
        }
        if (keyedTimers == null) {
            // after start(): restored timers may fire at once and need the script
            operatorTimers =
                    new OperatorTimers(
                            getProcessingTimeService(), operatorTimerState, this::deliverTimer);
        }
        long statsEvery = StatsOptions.intervalMillis(getExecutionConfig());
        getProcessingTimeService()
                .scheduleWithFixedDelay(t -> writeStats(), statsEvery, statsEvery);
    }

    /** The engine's stats line of this instance, to the stats output (StatsLine). */
    private void writeStats() {
        output.collect(
                routes.stats(),
                outRecord.replace(Event.json(metrics.statsLine(System.currentTimeMillis()))));
    }

    @Override
    public void finish() throws Exception {
        writeStats();
        super.finish();
    }

    @Override
    public void processElement(StreamRecord<Event> record) {
        Event event = record.getValue();
        current = event;
        metrics.eventStart(event.fullLength());
        byte[] bytes = event.bytes();
        if (event.kind() == Event.Kind.OVERSIZED) {
            reject(
                    ErrorReason.OVERSIZED,
                    "line of "
                            + event.fullLength()
                            + " bytes exceeds max_event_bytes "
                            + pipeline.limits().maxEventBytes());
            return;
        }
        if (event.kind() == Event.Kind.LINE) {
            try {
                validator.validate(bytes, 0, bytes.length);
            } catch (JsonFormatException e) {
                reject(reasonOf(e), e.getMessage());
                return;
            }
        }
        runLoop(JsonDecoder.decode(bytes, 0, bytes.length));
        metrics.eventEnd();
    }

    private void runLoop(LuaValue msg) {
        long started = metrics.loopStart();
        try {
            host.loop(msg);
        } catch (ScriptException e) {
            reject(ErrorReason.SCRIPT_ERROR, e.getMessage());
        }
        metrics.loopEnd(started);
    }

    private static ErrorReason reasonOf(JsonFormatException e) {
        return switch (e.reason()) {
            case INVALID_UTF8 -> ErrorReason.INVALID_UTF8;
            case TOO_DEEP -> ErrorReason.TOO_DEEP;
            case MALFORMED_JSON -> ErrorReason.MALFORMED_JSON;
        };
    }

    // ---- EventRouter: what the script's dragonfly calls do ----

    @Override
    public void analyze(String tag, LuaValue value) {
        OutputTag<Event> target = routes.analyzers().get(tag);
        if (target == null) {
            unknownRoute("analyzer", tag);
            return;
        }
        emit(target, writer.encode(value));
    }

    @Override
    public void output(String tag, LuaValue value) {
        OutputTag<Event> target = routes.outputs().get(tag);
        if (target == null) {
            unknownRoute("output", tag);
            return;
        }
        emit(target, writer.encode(value));
    }

    @Override
    public void log(LuaValue value) {
        emit(routes.log(), writer.encode(value));
    }

    @Override
    public void stats(LuaValue value) {
        emit(routes.stats(), writer.encode(value));
    }

    @Override
    public void timer(String tag, double seconds, LuaValue value) {
        boolean toSelf = stage.kind() == StageKind.ANALYZER && tag.equals(stage.tag());
        if (!toSelf && !routes.analyzers().containsKey(tag)) {
            unknownRoute("analyzer", tag);
            return;
        }
        byte[] json = writer.encode(value);
        long delay = Math.max(0, Math.round(seconds * 1000));
        if (keyedTimers != null) {
            keyedTimers.schedule(tag, keyedTimers.now() + delay, json);
            return;
        }
        operatorTimers.schedule(tag, operatorTimers.now() + delay, json);
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        operatorTimerState =
                context.getOperatorStateStore()
                        .getListState(
                                new ListStateDescriptor<>(
                                        "dragonfly.pending-timers",
                                        BytePrimitiveArraySerializer.INSTANCE));
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        if (operatorTimers != null) {
            operatorTimers.snapshot();
        }
    }

    /** A due timer: the value goes to this stage's own loop or on to another analyzer. */
    private void deliverTimer(String tag, byte[] json) {
        if (tag.equals(stage.tag()) && stage.kind() == StageKind.ANALYZER) {
            current = Event.json(json);
            runLoop(JsonDecoder.decode(json, 0, json.length));
        } else {
            emit(routes.analyzers().get(tag), json);
        }
    }

    @Override
    public void onProcessingTime(InternalTimer<String, VoidNamespace> timer) throws Exception {
        keyedTimers.fire(timer, this::deliverTimer);
    }

    @Override
    public void onEventTime(InternalTimer<String, VoidNamespace> timer) {
        // the engine sets no event-time timers
    }

    private void emit(OutputTag<Event> target, byte[] json) {
        metrics.emitted(target);
        output.collect(target, outRecord.replace(Event.json(json)));
    }

    private void unknownRoute(String kind, String tag) {
        String declared =
                kind.equals("analyzer")
                        ? stage.sortedAnalyzerRoutes().toString()
                        : routes.outputs().keySet().toString();
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
        metrics.error(reason, message);
        Event event = current;
        byte[] record =
                ErrorRecord.build(
                        stage.kind() == StageKind.INPUT ? "input" : "analyzer",
                        stage.tag(),
                        stage.scriptName(),
                        reason,
                        message,
                        event.bytes(),
                        event.kind() == Event.Kind.JSON
                                || (event.kind() == Event.Kind.LINE
                                        && reason != ErrorReason.MALFORMED_JSON
                                        && reason != ErrorReason.INVALID_UTF8
                                        && reason != ErrorReason.TOO_DEEP),
                        event.fullLength());
        output.collect(routes.errors(), outRecord.replace(Event.json(record)));
    }

    @Override
    public void close() throws Exception {
        if (host != null) {
            host.close();
        }
        if (hiredis != null) {
            hiredis.close();
        }
        super.close();
    }

    @Override
    public String toString() {
        return stage.describe() + " " + stage.scriptName();
    }

    /** For tests and --explain: the stage this operator runs. */
    public StageSpec stage() {
        return stage;
    }
}
