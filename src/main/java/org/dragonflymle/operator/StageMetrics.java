package org.dragonflymle.operator;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.util.OutputTag;
import org.dragonflymle.config.PipelineSpec;
import org.dragonflymle.config.StageSpec;
import org.dragonflymle.errors.ErrorReason;
import org.dragonflymle.metrics.LatencyHistogram;
import org.dragonflymle.metrics.StageTallies;
import org.dragonflymle.metrics.Tally;
import org.dragonflymle.redis.RedisCallObserver;
import org.dragonflymle.stage.StageObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one instance of one stage counts and measures, registered as Flink metrics of its operator
 * (the dashboard's Metrics tab, any reporter) and, for the counts, as accumulators that the
 * launcher reads for progress and the final summary ({@link StageTallies} names them).
 *
 * <p>Metrics, under the operator's group (named by the stage's tag):
 *
 * <ul>
 *   <li>{@code eventsIn}, {@code bytesIn}, {@code eventsOut} – events the script got, their bytes
 *       (plus one per line end), values it routed anywhere;
 *   <li>{@code drops} – events whose {@code loop} routed nothing and failed nothing (a filter's
 *       "no");
 *   <li>{@code errors.<reason>} – records sent to the error output, by {@link ErrorReason} code;
 *   <li>{@code routedTo.output.<tag>}, {@code routedTo.analyzer.<tag>} – values per destination;
 *   <li>{@code loopTimeNanos} – histogram of {@code loop} call times, one call in {@value
 *       #SAMPLE_EVERY} measured;
 *   <li>{@code redisCalls}, {@code redisFailures}, {@code redisLatencyNanos} – every reply a script
 *       waited for through {@code hiredis}, those that never came, and the wait.
 * </ul>
 *
 * <p>Script errors are also logged, one line per problem: the first error of each reason in full
 * (tag, script, message), then at most one line a minute per reason saying how many followed.
 * Nothing is logged per event.
 *
 * <p>Used by the task thread only, except for the readers of metrics and accumulators.
 */
public final class StageMetrics implements StageObserver {

    /** One {@code loop} call in this many is timed. */
    public static final int SAMPLE_EVERY = 16;

    static final long ERROR_LOG_INTERVAL_MILLIS = 60_000;

    private static final Logger LOG = LoggerFactory.getLogger(StageMetrics.class);

    private final StageSpec stage;
    private final int subtask;
    public final Tally in = new Tally();
    final Tally bytesIn = new Tally();
    public final Tally out = new Tally();
    public final Tally drops = new Tally();
    public final Map<ErrorReason, Tally> errors = new EnumMap<>(ErrorReason.class);
    public final Map<String, Tally> toOutput = new LinkedHashMap<>();
    public final Map<String, Tally> toAnalyzer = new LinkedHashMap<>();
    private final Map<OutputTag<?>, Tally> byTarget = new IdentityHashMap<>();
    public final LatencyHistogram loopTime = new LatencyHistogram();
    public final Tally redisCalls = new Tally();
    public final Tally redisFailures = new Tally();
    public final LatencyHistogram redisLatency = new LatencyHistogram();
    private final Map<ErrorReason, long[]> errorLog = new EnumMap<>(ErrorReason.class);
    private int calls;
    private boolean routed;

    private StageMetrics(StageSpec stage, int subtask) {
        this.stage = stage;
        this.subtask = subtask;
    }

    /**
     * Creates the metrics of one operator instance and registers them with Flink.
     *
     * @param routes the side outputs the operator emits on, to count per destination
     */
    public static StageMetrics register(
            StageSpec stage, RouteTags routes, MetricGroup group, RuntimeContext context) {
        StageMetrics m = new StageMetrics(stage, context.getTaskInfo().getIndexOfThisSubtask());
        m.wire(routes);
        m.registerMetrics(group);
        m.registerAccumulators(context);
        return m;
    }

    /** For tests: metrics that are registered nowhere. */
    static StageMetrics unregistered(StageSpec stage, RouteTags routes) {
        StageMetrics m = new StageMetrics(stage, 0);
        m.wire(routes);
        return m;
    }

    private void wire(RouteTags routes) {
        for (ErrorReason r : ErrorReason.values()) {
            errors.put(r, new Tally());
        }
        routes.outputs()
                .forEach(
                        (tag, outputTag) -> {
                            Tally t = new Tally();
                            toOutput.put(tag, t);
                            byTarget.put(outputTag, t);
                        });
        routes.analyzers()
                .forEach(
                        (tag, outputTag) -> {
                            Tally t = new Tally();
                            toAnalyzer.put(tag, t);
                            byTarget.put(outputTag, t);
                        });
        Tally log = toOutput.computeIfAbsent(RouteTags.LOG_OUTPUT, t -> new Tally());
        Tally stats = toOutput.computeIfAbsent(RouteTags.STATS_OUTPUT, t -> new Tally());
        byTarget.put(routes.log(), log);
        byTarget.put(routes.stats(), stats);
        toOutput.computeIfAbsent(PipelineSpec.ERRORS_TAG, t -> new Tally());
    }

    private void registerMetrics(MetricGroup g) {
        g.counter("eventsIn", in);
        g.counter("bytesIn", bytesIn);
        g.counter("eventsOut", out);
        g.counter("drops", drops);
        MetricGroup errorGroup = g.addGroup("errors");
        errors.forEach((r, t) -> errorGroup.counter(r.code(), t));
        MetricGroup outputs = g.addGroup("routedTo").addGroup("output");
        toOutput.forEach((tag, t) -> outputs.counter(tag, t));
        MetricGroup analyzers = g.addGroup("routedTo").addGroup("analyzer");
        toAnalyzer.forEach((tag, t) -> analyzers.counter(tag, t));
        g.histogram("loopTimeNanos", loopTime);
        g.counter("redisCalls", redisCalls);
        g.counter("redisFailures", redisFailures);
        g.histogram("redisLatencyNanos", redisLatency);
    }

    private void registerAccumulators(RuntimeContext ctx) {
        String tag = stage.tag();
        ctx.addAccumulator(StageTallies.name(tag, StageTallies.IN), in);
        ctx.addAccumulator(StageTallies.name(tag, StageTallies.BYTES_IN), bytesIn);
        ctx.addAccumulator(StageTallies.name(tag, StageTallies.OUT), out);
        ctx.addAccumulator(StageTallies.name(tag, StageTallies.DROPS), drops);
        errors.forEach(
                (r, t) ->
                        ctx.addAccumulator(
                                StageTallies.name(tag, StageTallies.ERRORS + r.code()), t));
        toOutput.forEach(
                (o, t) ->
                        ctx.addAccumulator(StageTallies.name(tag, StageTallies.TO_OUTPUT + o), t));
    }

    /** An event arrived ({@code bytes} long); call before any check or script runs. */
    public void eventStart(int bytes) {
        in.inc();
        bytesIn.inc(bytes + 1L);
        routed = false;
    }

    /** The event's {@code loop} returned; it counts as dropped when it routed nothing. */
    public void eventEnd() {
        if (!routed) {
            drops.inc();
        }
    }

    /** Before a {@code loop} call: a start time when this call is sampled, else 0. */
    @Override
    public long loopStart() {
        return (++calls & (SAMPLE_EVERY - 1)) == 0 ? System.nanoTime() : 0;
    }

    @Override
    public void loopEnd(long started) {
        if (started != 0) {
            loopTime.update(System.nanoTime() - started);
        }
    }

    /** A value went out on {@code target}. */
    public void emitted(OutputTag<?> target) {
        out.inc();
        routed = true;
        Tally t = byTarget.get(target);
        if (t != null) {
            t.inc();
        }
    }

    /** A record went to the error output. */
    @Override
    public void error(ErrorReason reason, String message) {
        errors.get(reason).inc();
        toOutput.get(PipelineSpec.ERRORS_TAG).inc();
        routed = true;
        logError(reason, message, System.currentTimeMillis());
    }

    void logError(ErrorReason reason, String message, long now) {
        long[] state = errorLog.computeIfAbsent(reason, r -> new long[] {Long.MIN_VALUE, 0});
        if (state[0] != Long.MIN_VALUE && now - state[0] < ERROR_LOG_INTERVAL_MILLIS) {
            state[1]++;
            return;
        }
        String where = stage.describe() + " " + stage.scriptName();
        if (state[0] == Long.MIN_VALUE) {
            LOG.warn(
                    "{}: {}: {} (the event is in the error output; further {} errors of this stage"
                            + " are logged at most once a minute)",
                    where,
                    reason.code(),
                    message,
                    reason.code());
        } else {
            LOG.warn(
                    "{}: {} more {} errors in the last minute; latest: {}",
                    where,
                    state[1] + 1,
                    reason.code(),
                    message);
        }
        state[0] = now;
        state[1] = 0;
    }

    /** What {@code HiredisLib} reports each call to. */
    @Override
    public RedisCallObserver redis() {
        return (nanos, answered) -> {
            redisCalls.inc();
            redisLatency.update(nanos);
            if (!answered) {
                redisFailures.inc();
            }
        };
    }

    /** The stats line of this instance now: one JSON object (see {@link StatsLine}). */
    public byte[] statsLine(long nowMillis) {
        return StatsLine.build(this, nowMillis);
    }

    public StageSpec stage() {
        return stage;
    }

    public int subtask() {
        return subtask;
    }

    List<String> errorReasonsSeen() {
        List<String> seen = new ArrayList<>();
        errors.forEach(
                (r, t) -> {
                    if (t.getCount() > 0) {
                        seen.add(r.code());
                    }
                });
        return seen;
    }
}
