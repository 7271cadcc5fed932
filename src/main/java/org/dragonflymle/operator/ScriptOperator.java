package org.dragonflymle.operator;

import java.nio.file.Path;
import java.time.Duration;
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
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.InternalTimer;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.operators.Triggerable;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.OutputTag;
import org.dragonflymle.config.PipelineSpec;
import org.dragonflymle.config.StageKind;
import org.dragonflymle.config.StageSpec;
import org.dragonflymle.event.Event;
import org.dragonflymle.lua.RetainedMemoryExceeded;
import org.dragonflymle.lua.ScriptSetupException;
import org.dragonflymle.lua.api.ScriptContext;
import org.dragonflymle.lua.api.ScriptState;
import org.dragonflymle.metrics.StatsOptions;
import org.dragonflymle.stage.StageBindings;
import org.dragonflymle.stage.StageOutput;
import org.dragonflymle.stage.StageRuntime;

/**
 * Runs one input or analyzer script: the Flink operator behind every stage of config.lua, one
 * {@link StageRuntime} (one Lua state) per parallel instance, created in {@link #open()}.
 *
 * <p>What a stage does with an event is the runtime's (the same in {@code dragonfly-mle test});
 * this class binds it to Flink: results go to side outputs ({@link RouteTags}), {@code
 * dragonfly.state} to keyed state, {@code timer_event} to processing-time timers (keyed, or
 * operator state without {@code key=}), counts to Flink metrics. A failing {@code setup} stops the
 * job without restarts, since restarting cannot fix a script.
 */
public final class ScriptOperator extends AbstractStreamOperator<Event>
        implements OneInputStreamOperator<Event, Event>,
                BoundedOneInput,
                StageOutput,
                Triggerable<String, VoidNamespace> {

    private static final long serialVersionUID = 1L;

    private static final org.slf4j.Logger LOG =
            org.slf4j.LoggerFactory.getLogger(ScriptOperator.class);

    /**
     * Accumulators named with this prefix count calls stuck past their budget; the local launcher
     * watches them and stops the engine (a MiniCluster cannot restart a task whose thread never
     * returns), a cluster fails the task and, when its thread does not end, the TaskManager.
     */
    public static final String STUCK_ACCUMULATOR = "dragonfly.stuck ";

    /**
     * How long a call past its budget may take to stop before the task is failed (Flink then
     * restarts it from the last checkpoint): the call is stuck in code that never polls.
     */
    static final Duration STUCK_CALL_GRACE = Duration.ofSeconds(5);

    private final PipelineSpec pipeline;
    private final StageSpec stage;
    private final RouteTags routes;
    private final String confinement;
    private final long statsIntervalMillis;

    private transient StageRuntime runtime;
    private transient StreamRecord<Event> outRecord;
    private transient StageMetrics metrics;
    private transient KeyedTimers keyedTimers;
    private transient OperatorTimers operatorTimers;
    // Set when a bounded input has ended: no new timer is set from then on, so a timer that sets
    // timers (one that doubles itself, say) cannot keep a finished replay running for ever.
    private transient boolean inputEnded;
    private transient ListState<byte[]> operatorTimerState;
    // concurrency > 1 only: the instance's Lua states beyond runtime, and keyed state
    private transient ConcurrentScripts concurrent;
    private transient StageRuntime[] runtimes;
    private transient org.apache.flink.api.common.state.MapState<String, byte[]> stateMap;
    // set only for an analyzer with a shadow: what the live version did with each event
    private transient ShadowTap shadowTap;

    /**
     * @param confinement the {@code -c DIR} every script file access must stay inside, or null
     * @param statsInterval how often the stats line is written ({@link StatsOptions#INTERVAL})
     */
    public ScriptOperator(
            PipelineSpec pipeline,
            StageSpec stage,
            RouteTags routes,
            Path confinement,
            Duration statsInterval) {
        this.pipeline = pipeline;
        this.stage = stage;
        this.routes = routes;
        this.confinement = confinement == null ? null : confinement.toString();
        this.statsIntervalMillis = StatsOptions.intervalMillis(statsInterval);
    }

    @Override
    public void open() throws Exception {
        super.open();
        outRecord = new StreamRecord<>(null);
        if (stage.kind() == StageKind.ANALYZER && pipeline.shadow(stage.tag()).isPresent()) {
            shadowTap = new ShadowTap(this, ShadowOperator.sideOutput(stage.tag()), output);
        }
        StageOutput results = shadowTap != null ? shadowTap : this;
        metrics = StageMetrics.register(stage, routes, getMetricGroup(), getRuntimeContext());
        ScriptContext ctx =
                ScriptContext.forStage(
                        stage,
                        pipeline.root(),
                        pipeline.logDir(),
                        confinement == null ? null : Path.of(confinement));
        ScriptState state = null;
        if (stage.key() != null) {
            stateMap =
                    getRuntimeContext()
                            .getMapState(
                                    new MapStateDescriptor<>(
                                            "dragonfly.state",
                                            StringSerializer.INSTANCE,
                                            BytePrimitiveArraySerializer.INSTANCE));
            state = new KeyedScriptState(stateMap);
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
        }
        UserMetrics counters = new UserMetrics(getMetricGroup());
        if (stage.concurrency() > 1) {
            concurrent =
                    ConcurrentScripts.create(
                            pipeline,
                            stage,
                            ctx,
                            counters,
                            metrics,
                            getContainingTask()
                                    .getMailboxExecutorFactory()
                                    .createExecutor(getOperatorConfig().getChainIndex()),
                            new ConcurrentScripts.Binding(
                                    this, stateMap, results, this::failed, shadowTap));
            runtimes = concurrent.runtimes();
            runtime = runtimes[0];
        } else {
            runtime =
                    new StageRuntime(
                            pipeline,
                            stage,
                            ctx,
                            new StageBindings(state, counters, results, metrics));
            runtimes = new StageRuntime[] {runtime};
        }
        // the last resort for a call stuck where nothing polls: fail the task, never hang
        StuckCalls.watch(
                runtimes, stage, getRuntimeContext(), getContainingTask().getEnvironment());
        try {
            for (StageRuntime r : runtimes) {
                r.start();
            }
        } catch (ScriptSetupException e) {
            throw new SuppressRestartsException(e);
        }
        if (concurrent != null) {
            concurrent.startThreads();
        }
        if (keyedTimers == null) {
            // after start(): restored timers may fire at once and need the script
            operatorTimers =
                    new OperatorTimers(
                            getProcessingTimeService(), operatorTimerState, this::deliverTimer);
            runtime.timersRestored(operatorTimers.pending());
        }
        getProcessingTimeService()
                .scheduleWithFixedDelay(
                        t -> writeStats(), statsIntervalMillis, statsIntervalMillis);
    }

    /** The engine's stats line of this instance, to the stats output (StatsLine). */
    private void writeStats() {
        output.collect(
                routes.stats(),
                outRecord.replace(Event.json(metrics.statsLine(System.currentTimeMillis()))));
    }

    @Override
    public void finish() throws Exception {
        if (concurrent != null) {
            concurrent.drain();
        }
        writeStats();
        super.finish();
    }

    @Override
    public void processElement(StreamRecord<Event> record) throws Exception {
        Event event = record.getValue();
        if (concurrent != null) {
            concurrent.submit(event, true);
            return;
        }
        metrics.eventStart(event.fullLength());
        if (shadowTap != null) {
            shadowTap.begin();
        }
        try {
            runtime.accept(event);
        } catch (RetainedMemoryExceeded e) {
            throw stop(e);
        }
        if (shadowTap != null) {
            shadowTap.end(event);
        }
        metrics.eventEnd();
    }

    // ---- StageOutput: where the runtime's results go ----

    @Override
    public void toAnalyzer(String tag, byte[] json) {
        emit(routes.analyzers().get(tag), json);
    }

    @Override
    public void toOutput(String tag, byte[] json) {
        emit(routes.outputs().get(tag), json);
    }

    @Override
    public void toLog(byte[] json) {
        emit(routes.log(), json);
    }

    @Override
    public void toStats(byte[] json) {
        emit(routes.stats(), json);
    }

    @Override
    public void toErrors(byte[] record) {
        output.collect(routes.errors(), outRecord.replace(Event.json(record)));
    }

    @Override
    public void endInput() throws Exception {
        if (concurrent != null) {
            concurrent.drain();
        }
        inputEnded = true;
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        if (mark.getTimestamp() == Watermark.MAX_WATERMARK.getTimestamp()) {
            // a bounded input's end, before the chain's operators finish one by one (endInput comes
            // after): timers setting timers would keep busy the wait of those before this one
            inputEnded = true;
        }
        super.processWatermark(mark);
    }

    /** A concurrent stage's event failed where no error record could take it. */
    private void failed(InFlightEvent e) {
        if (e.failure instanceof RetainedMemoryExceeded rme) {
            throw stop(rme);
        }
        throw new IllegalStateException(
                stage.describe() + " " + stage.scriptName() + ": " + e.failure, e.failure);
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        if (concurrent != null) {
            concurrent.drain(); // a checkpoint holds no half-done event
        }
        super.prepareSnapshotPreBarrier(checkpointId);
    }

    @Override
    public void timer(String tag, long delayMillis, byte[] json) {
        if (inputEnded) {
            return; // a replay that ended drops the timers it has not fired (docs/operations.md)
        }
        if (keyedTimers != null) {
            keyedTimers.schedule(tag, keyedTimers.now() + delayMillis, json);
            return;
        }
        operatorTimers.schedule(tag, operatorTimers.now() + delayMillis, json);
    }

    private void emit(OutputTag<Event> target, byte[] json) {
        metrics.emitted(target);
        output.collect(target, outRecord.replace(Event.json(json)));
    }

    // ---- timers and their state ----

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
        if (concurrent != null) {
            concurrent.drain();
        }
        for (StageRuntime r : runtimes == null ? new StageRuntime[0] : runtimes) {
            r.checkpoint(); // a Redis failover since the last one: replay from it
        }
    }

    /** A due timer: the value goes to this stage's own loop or on to another analyzer. */
    private void deliverTimer(String tag, byte[] json) {
        runtime.timerDelivered();
        if (concurrent != null && runtime.isOwnTimer(tag)) {
            concurrent.submit(Event.json(json), false);
        } else if (runtime.isOwnTimer(tag)) {
            try {
                runtime.acceptJson(json);
            } catch (RetainedMemoryExceeded e) {
                throw stop(e);
            }
        } else {
            emit(routes.analyzers().get(tag), json);
        }
    }

    /**
     * A script that keeps more than its limit would fill up again after a restart: the job stops
     * (no restart), its checkpoints kept for {@code --resume} once the script is fixed. The error
     * itself goes on up the stack, out of every stage chained upstream of this one (an exception
     * would become an error record of theirs).
     */
    private RetainedMemoryExceeded stop(RetainedMemoryExceeded e) {
        if (e.firstStopRequest()) {
            LOG.error("{}: {}; the job stops", stage.describe(), e.getMessage());
            getContainingTask().getEnvironment().failExternally(new SuppressRestartsException(e));
        }
        return e;
    }

    @Override
    public void onProcessingTime(InternalTimer<String, VoidNamespace> timer) throws Exception {
        keyedTimers.fire(timer, this::deliverTimer);
    }

    @Override
    public void onEventTime(InternalTimer<String, VoidNamespace> timer) {
        // the engine sets no event-time timers
    }

    @Override
    public void close() throws Exception {
        if (concurrent != null) {
            concurrent.close();
        }
        for (StageRuntime r : runtimes == null ? new StageRuntime[0] : runtimes) {
            r.close();
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
