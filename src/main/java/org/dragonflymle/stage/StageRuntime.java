package org.dragonflymle.stage;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.dragonflymle.config.OutputSpec;
import org.dragonflymle.config.PipelineSpec;
import org.dragonflymle.config.StageKind;
import org.dragonflymle.config.StageSpec;
import org.dragonflymle.errors.ErrorReason;
import org.dragonflymle.errors.ErrorRecord;
import org.dragonflymle.event.Event;
import org.dragonflymle.event.JsonDecoder;
import org.dragonflymle.event.JsonEncodeException;
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
import org.dragonflymle.ml.command.RedisMlInterceptor;
import org.dragonflymle.redis.AdminCommandGuard;
import org.dragonflymle.redis.CommandInterceptor;
import org.dragonflymle.redis.DatabaseGuard;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaValue;

/**
 * One instance of one stage of config.lua, without Flink: what the engine's operator and {@code
 * dragonfly-mle test} both run, so that a test passes only where the engine behaves alike.
 *
 * <p>What a stage means, in one place: the script gets the sandboxed standard libraries, {@code
 * bit}, {@code marshal}, {@code dragonfly} (with {@code state} and {@code metric}), {@code cjson}
 * and {@code hiredis} (Redis-ML answered in-process); every {@code loop} call is bounded by the
 * pipeline's time and memory budget. A raw line is validated once (oversized, invalid UTF-8,
 * malformed, too deep become error records); JSON routed by another stage is trusted. A Lua error
 * costs that event only. What the script routes is encoded on the spot (the deep copy
 * docs/lua-api.md promises); a route outside the stage's routes is an {@code unknown_route} error
 * record naming the routes it has. Error records carry the stage, the script and the event.
 *
 * <p>What differs between the engine and a test run is bound in ({@link StageBindings}): where
 * results go, the store of {@code dragonfly.state}, the counters, the metrics. Several runtimes can
 * serve one operator instance (each is one Lua state) and a second script version can run on the
 * same events with an output of its own, to compare; neither needs another copy of these rules.
 *
 * <p>Not thread-safe: one runtime belongs to one thread.
 */
public final class StageRuntime implements EventRouter, AutoCloseable {

    private final PipelineSpec pipeline;
    private final StageSpec stage;
    private final StageOutput output;
    private final StageObserver observer;
    private final Set<String> outputTags = new HashSet<>();
    private final LuaJsonWriter writer = new LuaJsonWriter();
    private final JsonValidator validator;
    private final HiredisLib hiredis;
    private final ScriptHost host;
    private Event current;

    public StageRuntime(
            PipelineSpec pipeline, StageSpec stage, ScriptContext ctx, StageBindings bindings) {
        this(pipeline, stage, ctx, bindings, false);
    }

    /**
     * A shadow analyzer's runtime: the same rules, its scripts' Redis kept in the database of
     * {@code pipeline.redis()} ({@link DatabaseGuard}: no {@code SELECT}, {@code MOVE}, {@code
     * FLUSHALL}, ...).
     */
    public static StageRuntime shadow(
            PipelineSpec pipeline, StageSpec stage, ScriptContext ctx, StageBindings bindings) {
        return new StageRuntime(pipeline, stage, ctx, bindings, true);
    }

    private StageRuntime(
            PipelineSpec pipeline,
            StageSpec stage,
            ScriptContext ctx,
            StageBindings bindings,
            boolean pinDatabase) {
        this.pipeline = pipeline;
        this.stage = stage;
        this.output = bindings.output();
        this.observer = bindings.observer();
        for (OutputSpec o : pipeline.outputs()) {
            outputTags.add(o.tag());
        }
        this.validator = new JsonValidator(pipeline.limits().maxNestingDepth());
        LuaValue state =
                bindings.state() == null
                        ? StateLib.unavailable(stage.describe())
                        : StateLib.table(bindings.state());
        Map<String, LuaValue> extensions =
                Map.of("state", state, "metric", new MetricFunction(bindings.counters()));
        // Redis-ML commands are answered in the engine, models shared through Redis
        // scripts never administer Redis unless config.lua says so
        CommandInterceptor guard =
                new AdminCommandGuard(
                        pipeline.capabilities().redisAdmin(), new RedisMlInterceptor());
        this.hiredis =
                new HiredisLib(
                        pipeline.redis(),
                        pinDatabase
                                ? new DatabaseGuard(pipeline.redis().database(), guard)
                                : guard);
        hiredis.observeCalls(observer.redis());
        this.host =
                new ScriptHost(
                        ctx,
                        List.of(
                                new DragonflyLib(this, ctx, extensions, pipeline.capabilities()),
                                new CjsonLib(),
                                hiredis),
                        pipeline.limits().maxCoroutines());
        host.setLoopBudget(
                pipeline.limits().loopBudgetMillis(), pipeline.limits().loopMemoryBytes());
        host.setSetupBudget(pipeline.limits().setupBudgetMillis());
        host.setRetainedLimit(pipeline.limits().maxRetainedBytes());
    }

    /**
     * Watches every call from a thread of its own; a call that does not stop within {@code grace}
     * of its deadline is reported to {@code onStuck} (see {@code ScriptHost#startWatchdog}).
     */
    public void startWatchdog(
            java.time.Duration grace, java.util.function.Consumer<String> onStuck) {
        host.startWatchdog(grace, onStuck);
    }

    /** A due timer of this instance was delivered: one fewer pending. */
    public void timerDelivered() {
        pendingTimers.getAndUpdate(n -> n > 0 ? n - 1 : 0);
    }

    /** Timers restored from a checkpoint count as pending. */
    public void timersRestored(int n) {
        pendingTimers.addAndGet(n);
    }

    // shared by the Lua states of one instance (concurrency > 1), each on a thread of its own
    private java.util.concurrent.atomic.AtomicInteger pendingTimers =
            new java.util.concurrent.atomic.AtomicInteger();

    /**
     * For a stage with {@code concurrency > 1}, before {@link #start()}: this runtime is one of
     * several Lua states of one instance. It connects to Redis through {@code redis} (one pipelined
     * connection per Redis for all of them) and counts its pending timers with {@code first}'s, so
     * {@code limits.max_pending_timers} bounds the instance.
     */
    public void shareWith(StageRuntime first, org.dragonflymle.redis.ConnectionOpener redis) {
        hiredis.connectThrough(redis);
        if (first != this) {
            pendingTimers = first.pendingTimers;
        }
    }

    /**
     * Runs the script's top level and {@code setup()}.
     *
     * @throws ScriptSetupException when the script cannot start; restarting will not help
     */
    public void start() throws ScriptSetupException {
        host.start();
    }

    public StageSpec stage() {
        return stage;
    }

    /**
     * An event from the stage's input: an oversized line is rejected, a raw line validated once,
     * JSON routed by another stage trusted; then {@code loop} runs.
     */
    public void accept(Event event) {
        current = event;
        if (event.kind() == Event.Kind.OVERSIZED) {
            reject(
                    ErrorReason.OVERSIZED,
                    "line of "
                            + event.fullLength()
                            + " bytes exceeds max_event_bytes "
                            + pipeline.limits().maxEventBytes());
            return;
        }
        byte[] bytes = event.bytes();
        if (event.kind() == Event.Kind.LINE) {
            try {
                validator.validate(bytes, 0, bytes.length);
            } catch (JsonFormatException e) {
                reject(reasonOf(e), e.getMessage());
                return;
            }
        }
        runLoop(bytes);
    }

    /**
     * A line as an input's source would hand it over: longer than {@code max_event_bytes}, only its
     * head is kept and it is oversized, as the file and socket readers do.
     */
    public void acceptLine(byte[] line) {
        int max = pipeline.limits().maxEventBytes();
        accept(
                line.length > max
                        ? Event.oversized(
                                Arrays.copyOf(
                                        line, Math.min(line.length, Event.OVERSIZED_HEAD_BYTES)),
                                line.length)
                        : Event.line(line));
    }

    /** Trusted JSON: routed here by another stage, or a due timer (this stage's own included). */
    public void acceptJson(byte[] json) {
        current = Event.json(json);
        runLoop(json);
    }

    private void runLoop(byte[] json) {
        long started = observer.loopStart();
        try {
            host.loop(JsonDecoder.decode(json, 0, json.length));
        } catch (ScriptException e) {
            reject(
                    e.getCause() instanceof UnencodableEventException
                            ? ErrorReason.UNENCODABLE
                            : ErrorReason.SCRIPT_ERROR,
                    e.getMessage());
        }
        observer.loopEnd(started);
    }

    static ErrorReason reasonOf(JsonFormatException e) {
        return switch (e.reason()) {
            case INVALID_UTF8 -> ErrorReason.INVALID_UTF8;
            case TOO_DEEP -> ErrorReason.TOO_DEEP;
            case MALFORMED_JSON -> ErrorReason.MALFORMED_JSON;
        };
    }

    // ---- EventRouter: what the script's dragonfly calls do ----

    @Override
    public void analyze(String tag, LuaValue value) {
        if (!stage.analyzerRoutes().contains(tag)) {
            unknownRoute("analyzer", tag);
            return;
        }
        byte[] json = encode(value);
        host.pauseClock(); // a chained analyzer runs its own script in here
        try {
            output.toAnalyzer(tag, json);
        } finally {
            host.resumeClock();
        }
    }

    @Override
    public void output(String tag, LuaValue value) {
        if (!outputTags.contains(tag)) {
            unknownRoute("output", tag);
            return;
        }
        byte[] json = encode(value);
        host.pauseClock(); // an output may wait for buffers
        try {
            output.toOutput(tag, json);
        } finally {
            host.resumeClock();
        }
    }

    @Override
    public void log(LuaValue value) {
        output.toLog(encode(value));
    }

    @Override
    public void stats(LuaValue value) {
        output.toStats(encode(value));
    }

    @Override
    public void timer(String tag, double seconds, LuaValue value) {
        boolean toSelf = stage.kind() == StageKind.ANALYZER && tag.equals(stage.tag());
        if (!toSelf && !stage.analyzerRoutes().contains(tag)) {
            unknownRoute("analyzer", tag);
            return;
        }
        if (pendingTimers.get() >= pipeline.limits().maxPendingTimers()) {
            throw new LuaError(
                    "timer_event: "
                            + stage.scriptName()
                            + " has "
                            + pendingTimers
                            + " timers pending in this instance, its limit"
                            + " (limits.max_pending_timers)");
        }
        byte[] json = encode(value);
        pendingTimers.incrementAndGet();
        output.timer(tag, Math.max(0, Math.round(seconds * 1000)), json);
    }

    /** The JSON of an emitted value; one without a JSON form fails the call as unencodable. */
    private byte[] encode(LuaValue value) {
        try {
            return writer.encode(value);
        } catch (JsonEncodeException e) {
            throw new UnencodableEventException(e.getMessage());
        }
    }

    /** Whether a due timer for {@code tag} runs this stage's own {@code loop}. */
    public boolean isOwnTimer(String tag) {
        return stage.kind() == StageKind.ANALYZER && tag.equals(stage.tag());
    }

    private void unknownRoute(String kind, String tag) {
        String declared =
                kind.equals("analyzer")
                        ? stage.sortedAnalyzerRoutes().toString()
                        : pipeline.outputs().stream().map(OutputSpec::tag).toList().toString();
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
        observer.error(reason, message);
        Event event = current;
        boolean eventIsJson =
                event.kind() == Event.Kind.JSON
                        || (event.kind() == Event.Kind.LINE
                                && reason != ErrorReason.MALFORMED_JSON
                                && reason != ErrorReason.INVALID_UTF8
                                && reason != ErrorReason.TOO_DEEP);
        output.toErrors(
                ErrorRecord.build(
                        stage.kind() == StageKind.INPUT ? "input" : "analyzer",
                        stage.tag(),
                        stage.scriptName(),
                        reason,
                        message,
                        event.bytes(),
                        eventIsJson,
                        event.fullLength()));
    }

    /**
     * The stage checkpoints, between events: Redis writes are made safe against a failover as far
     * as Redis allows, and a failover that may have lost some fails the checkpoint, so the job
     * replays from its last one (see {@link HiredisLib#checkpoint()}).
     */
    public void checkpoint() {
        hiredis.checkpoint();
    }

    @Override
    public void close() {
        host.close();
        hiredis.close();
    }
}
