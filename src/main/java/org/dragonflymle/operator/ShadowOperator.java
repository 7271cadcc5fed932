package org.dragonflymle.operator;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeutils.base.StringSerializer;
import org.apache.flink.api.common.typeutils.base.array.BytePrimitiveArraySerializer;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.OutputTag;
import org.dragonflymle.config.PipelineSpec;
import org.dragonflymle.config.RedisSpec;
import org.dragonflymle.config.ShadowSpec;
import org.dragonflymle.config.StageSpec;
import org.dragonflymle.event.Event;
import org.dragonflymle.lua.RetainedMemoryExceeded;
import org.dragonflymle.lua.ScriptSetupException;
import org.dragonflymle.lua.api.ScriptContext;
import org.dragonflymle.shadow.ShadowCapture;
import org.dragonflymle.shadow.ShadowCase;
import org.dragonflymle.shadow.ShadowDiff;
import org.dragonflymle.stage.StageBindings;
import org.dragonflymle.stage.StageObserver;
import org.dragonflymle.stage.StageOutput;
import org.dragonflymle.stage.StageRuntime;

/**
 * Runs the shadow version of an analyzer ({@link ShadowSpec}) on what its live operator sends it
 * ({@link ShadowCase}: each event as the live stage got it, with what the live version did), and
 * emits one diff line ({@link ShadowDiff}) per event where the two versions differ.
 *
 * <p>The shadow is the same {@link StageRuntime} as any stage, with a Lua state of its own, its
 * Redis kept in its own database ({@link StageRuntime#shadow}) and everything it emits kept for the
 * comparison only: nothing it routes, outputs, logs or sets as a timer is delivered (a timer never
 * fires). A stage with {@code key=} gives its shadow a {@code dragonfly.state} of its own, keyed
 * alike. Its faults stay here: an error is a difference; a failing {@code setup} or a call stuck
 * past the watchdog switches the shadow off, and so do {@value #MAX_OVER_BUDGET} calls that ran
 * into the loop time budget (a shadow that loops for ever would otherwise slow the live stage to
 * one event per budget through back-pressure); after that events are counted as not compared.
 */
public final class ShadowOperator extends AbstractStreamOperator<Event>
        implements OneInputStreamOperator<byte[], Event>, StageOutput {

    private static final long serialVersionUID = 1L;

    private static final org.slf4j.Logger LOG =
            org.slf4j.LoggerFactory.getLogger(ShadowOperator.class);

    /** Calls that ran into their time budget before the shadow is switched off. */
    static final int MAX_OVER_BUDGET = 3;

    /** Accumulators {@code dragonfly.shadow TAG COUNT} feed the launcher's run summary. */
    public static final String ACCUMULATOR = "dragonfly.shadow ";

    /** The counts kept, as Flink metrics (group {@code shadow}) and accumulators. */
    public static final String[] COUNTS = {
        "compared", "identical", "differing", "routes", "fields", "errors", "not_compared"
    };

    private static final int COMPARED = 0;
    private static final int IDENTICAL = 1;
    private static final int DIFFERING = 2;
    private static final int FIRST_KIND = 3; // routes, fields, errors: ShadowDiff.Kind's order
    private static final int NOT_COMPARED = 6;

    private final PipelineSpec pipeline;
    private final StageSpec live;
    private final ShadowSpec shadow;
    private final String confinement;

    private transient StageRuntime runtime;
    private transient ShadowCapture capture;
    private transient ShadowDiff diff;
    private transient Counter[] counters;
    private transient LongCounter[] totals;
    private transient volatile String off;
    private transient int overBudget;

    /** The side output a shadowed stage's operator sends its {@link ShadowCase}s on. */
    public static OutputTag<byte[]> sideOutput(String tag) {
        return new OutputTag<>(
                "shadow:" + tag, PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);
    }

    /**
     * @param pipeline the pipeline; {@code shadow.redisDb()} must be chosen already
     * @param confinement the {@code -c DIR} of every script, or null
     */
    public ShadowOperator(
            PipelineSpec pipeline, StageSpec live, ShadowSpec shadow, Path confinement) {
        if (shadow.redisDb() == ShadowSpec.NEXT_FREE) {
            throw new IllegalArgumentException(
                    "the shadow of " + live.tag() + " has no Redis database chosen");
        }
        this.pipeline = pipeline;
        this.live = live;
        this.shadow = shadow;
        this.confinement = confinement == null ? null : confinement.toString();
    }

    @Override
    public void open() throws Exception {
        super.open();
        MetricGroup group = getMetricGroup().addGroup("shadow");
        counters = new Counter[COUNTS.length];
        totals = new LongCounter[COUNTS.length];
        for (int i = 0; i < COUNTS.length; i++) {
            counters[i] = group.counter(COUNTS[i]);
            totals[i] = new LongCounter();
            getRuntimeContext()
                    .addAccumulator(ACCUMULATOR + live.tag() + " " + COUNTS[i], totals[i]);
        }
        capture = new ShadowCapture();
        diff = new ShadowDiff(live.tag());
        RedisSpec r = pipeline.redis();
        PipelineSpec own =
                pipeline.withRedis(
                        new RedisSpec(
                                r.host(),
                                r.port(),
                                r.password(),
                                shadow.redisDb(),
                                r.tls(),
                                r.user(),
                                r.topology()));
        StageSpec stage = shadow.stageOf(live);
        ScriptContext ctx =
                ScriptContext.forStage(
                        stage,
                        pipeline.root(),
                        pipeline.logDir(),
                        confinement == null ? null : Path.of(confinement));
        KeyedScriptState state =
                live.key() == null
                        ? null
                        : new KeyedScriptState(
                                getRuntimeContext()
                                        .getMapState(
                                                new MapStateDescriptor<>(
                                                        "dragonfly.state",
                                                        StringSerializer.INSTANCE,
                                                        BytePrimitiveArraySerializer.INSTANCE)));
        runtime =
                StageRuntime.shadow(
                        own,
                        stage,
                        ctx,
                        new StageBindings(state, new UserMetrics(group), this, StageObserver.NONE));
        runtime.startWatchdog(
                ScriptOperator.STUCK_CALL_GRACE,
                message -> switchOff("a call is stuck past its budget: " + message, false));
        try {
            runtime.start();
        } catch (ScriptSetupException e) {
            switchOff("setup failed: " + e.getMessage(), true);
        }
    }

    @Override
    public void processElement(StreamRecord<byte[]> record) {
        ShadowCase c = ShadowCase.decode(record.getValue());
        if (off != null) {
            count(NOT_COMPARED);
            return;
        }
        capture.begin();
        long t0 = System.nanoTime();
        try {
            runtime.accept(c.inputEvent());
        } catch (RetainedMemoryExceeded e) {
            capture.end();
            switchOff(e.getMessage(), true);
            count(NOT_COMPARED);
            return;
        }
        long millis = (System.nanoTime() - t0) / 1_000_000;
        if (millis >= pipeline.limits().loopBudgetMillis() && ++overBudget >= MAX_OVER_BUDGET) {
            switchOff(overBudget + " calls ran into limits.loop_budget", true);
        }
        ShadowDiff.Result result = diff.compare(c, capture.end());
        count(COMPARED);
        if (result.identical()) {
            count(IDENTICAL);
            return;
        }
        count(DIFFERING);
        for (ShadowDiff.Kind k : result.kinds()) {
            count(FIRST_KIND + k.ordinal());
        }
        output.collect(new StreamRecord<>(Event.json(result.line())));
    }

    private void count(int i) {
        counters[i].inc();
        totals[i].add(1);
    }

    /**
     * The shadow stops comparing; said once in the engine's log and, from the task's own thread, in
     * the diff file (the watchdog's thread only logs: the task thread is stuck in the call).
     */
    private void switchOff(String why, boolean onTaskThread) {
        if (off != null) {
            return;
        }
        off = why;
        String message =
                "the shadow of "
                        + live.describe()
                        + " ("
                        + shadow.stageOf(live).scriptName()
                        + ") is switched off: "
                        + why
                        + "; the live analyzer goes on";
        LOG.warn(message);
        if (!onTaskThread) {
            return;
        }
        output.collect(
                new StreamRecord<>(
                        Event.json(
                                ("{\"tag\":"
                                                + quote(live.tag())
                                                + ",\"shadow_off\":"
                                                + quote(message)
                                                + "}")
                                        .getBytes(StandardCharsets.UTF_8))));
    }

    private static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (ch < 0x20) {
                        b.append(String.format("\\u%04x", (int) ch));
                    } else {
                        b.append(ch);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    // ---- StageOutput: what the shadow emits is kept for the comparison only ----

    @Override
    public void toAnalyzer(String tag, byte[] json) {
        capture.analyzer(tag, json);
    }

    @Override
    public void toOutput(String tag, byte[] json) {
        capture.output(tag, json);
    }

    @Override
    public void toLog(byte[] json) {
        capture.log(json);
    }

    @Override
    public void toStats(byte[] json) {
        capture.stats(json);
    }

    @Override
    public void toErrors(byte[] record) {
        capture.error(record);
    }

    @Override
    public void timer(String tag, long delayMillis, byte[] json) {
        capture.timer(tag, json); // never fires: a shadow's timers are compared only
    }

    @Override
    public void close() throws Exception {
        if (runtime != null) {
            runtime.close();
        }
        super.close();
    }

    @Override
    public String toString() {
        return ShadowSpec.operatorName(live.tag()) + " " + shadow.stageOf(live).scriptName();
    }
}
