package org.dragonflymle.graph;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.OutputTag;
import org.dragonflymle.config.ConfigException;
import org.dragonflymle.config.OutputSpec;
import org.dragonflymle.config.PipelineSpec;
import org.dragonflymle.config.ShadowSpec;
import org.dragonflymle.config.StageKind;
import org.dragonflymle.config.StageSpec;
import org.dragonflymle.connector.Connectors;
import org.dragonflymle.event.Event;
import org.dragonflymle.event.EventTypeInfo;
import org.dragonflymle.metrics.StatsOptions;
import org.dragonflymle.operator.RouteTags;
import org.dragonflymle.operator.ScriptOperator;
import org.dragonflymle.operator.ShadowOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a validated pipeline into a Flink DataStream graph.
 *
 * <p>Every input and every analyzer becomes one {@link ScriptOperator} whose name and uid are its
 * tag (so savepoints survive edits of other stages). A stage sends events along side outputs, one
 * per destination; a destination's input is the union of what every stage routing to it emits.
 * Analyzer edges come from the stage's route set (defaults, literal tags, {@code routes}); every
 * stage is wired to every output, including the error, log and stats outputs, so {@code
 * output_event} to any configured output works without declaring it. Each output is one sink with
 * parallelism 1, named and uid'd {@code output:TAG}. An analyzer that calls Redis runs in a thread
 * of its own ({@link #needsOwnThread}).
 */
public final class JobGenerator {

    private static final Logger LOG = LoggerFactory.getLogger(JobGenerator.class);

    private final PipelineSpec spec;
    private final Connectors connectors;
    private final Path confinement;
    private Duration statsInterval = StatsOptions.INTERVAL.defaultValue();

    /**
     * @param confinement the {@code -c DIR} scripts are confined to, or null
     */
    public JobGenerator(PipelineSpec spec, Connectors connectors, Path confinement) {
        this.spec = spec;
        this.connectors = connectors;
        this.confinement = confinement;
    }

    /** All outputs a stage can write to: the configured ones plus the log and stats outputs. */
    public List<OutputSpec> allOutputs() {
        List<OutputSpec> all = new ArrayList<>(spec.outputs());
        all.add(
                new OutputSpec(
                        0,
                        RouteTags.LOG_OUTPUT,
                        "file://" + spec.logDir().resolve("dragonfly-mle.log")));
        all.add(
                new OutputSpec(
                        0,
                        RouteTags.STATS_OUTPUT,
                        "file://" + spec.logDir().resolve("dragonfly-stats.log")));
        return all;
    }

    /** Adds the pipeline's operators, edges and sinks to {@code env}. */
    public void generate(StreamExecutionEnvironment env) throws ConfigException {
        statsInterval = env.getConfiguration().get(StatsOptions.INTERVAL);
        List<OutputSpec> outputs = allOutputs();
        Map<String, OutputTag<Event>> outputTags = new LinkedHashMap<>();
        for (OutputSpec o : spec.outputs()) {
            outputTags.put(o.tag(), RouteTags.toOutput(o.tag()));
        }
        OutputTag<Event> errors = RouteTags.toOutput(PipelineSpec.ERRORS_TAG);
        OutputTag<Event> log = RouteTags.toOutput(RouteTags.LOG_OUTPUT);
        OutputTag<Event> stats = RouteTags.toOutput(RouteTags.STATS_OUTPUT);

        Map<String, List<DataStream<Event>>> intoAnalyzer = new HashMap<>();
        Map<String, List<DataStream<Event>>> intoOutput = new HashMap<>();
        outputs.forEach(o -> intoOutput.put(o.tag(), new ArrayList<>()));

        for (StageSpec input : spec.inputs()) {
            DataStream<Event> lines = connectors.source(env, input);
            SingleOutputStreamOperator<Event> op =
                    addStage(lines, input, outputTags, errors, log, stats);
            collectEdges(op, input, intoAnalyzer, intoOutput, outputTags, errors, log, stats);
        }
        for (StageSpec analyzer : StageOrder.analyzersInRouteOrder(spec.analyzers())) {
            List<DataStream<Event>> upstream = intoAnalyzer.getOrDefault(analyzer.tag(), List.of());
            if (upstream.isEmpty()) {
                LOG.warn(
                        "{} ({}) receives events from no stage; it is not started",
                        analyzer.describe(),
                        analyzer.scriptName());
                continue;
            }
            SingleOutputStreamOperator<Event> op =
                    addStage(union(upstream), analyzer, outputTags, errors, log, stats);
            collectEdges(op, analyzer, intoAnalyzer, intoOutput, outputTags, errors, log, stats);
            if (spec.shadow(analyzer.tag()).isPresent()) {
                addShadow(op, analyzer, spec.shadow(analyzer.tag()).get());
            }
        }
        for (OutputSpec output : outputs) {
            List<DataStream<Event>> upstream = intoOutput.get(output.tag());
            if (!upstream.isEmpty()) {
                connectors.sink(union(upstream), output);
            }
        }
    }

    private SingleOutputStreamOperator<Event> addStage(
            DataStream<Event> in,
            StageSpec stage,
            Map<String, OutputTag<Event>> outputTags,
            OutputTag<Event> errors,
            OutputTag<Event> log,
            OutputTag<Event> stats) {
        Map<String, OutputTag<Event>> analyzerTags = new LinkedHashMap<>();
        for (String target : stage.sortedAnalyzerRoutes()) {
            analyzerTags.put(target, RouteTags.toAnalyzer(target));
        }
        RouteTags routes = new RouteTags(analyzerTags, outputTags, errors, log, stats);
        SingleOutputStreamOperator<Event> op =
                partition(in, stage)
                        .transform(
                                stage.tag(),
                                EventTypeInfo.INSTANCE,
                                new ScriptOperator(spec, stage, routes, confinement, statsInterval))
                        .uid(stage.tag())
                        .setParallelism(stage.parallelism());
        if (needsOwnThread(stage)) {
            op.startNewChain();
        }
        return op;
    }

    /**
     * The shadow of {@code live}: its own operator {@code TAG.shadow} on the live operator's {@link
     * ShadowOperator#sideOutput}, instance for instance (or keyed alike), in a thread of its own so
     * that its work overlaps the live stage's; its diff lines go to {@code LOGDIR/shadow-TAG.json}.
     */
    private void addShadow(
            SingleOutputStreamOperator<Event> live, StageSpec stage, ShadowSpec shadow)
            throws ConfigException {
        String name = ShadowSpec.operatorName(stage.tag());
        DataStream<byte[]> cases = live.getSideOutput(ShadowOperator.sideOutput(stage.tag()));
        if (stage.key() != null) {
            cases =
                    cases.keyBy(
                            new ShadowKeySelector(stage.key(), spec.limits().maxNestingDepth()),
                            Types.STRING);
        }
        SingleOutputStreamOperator<Event> diff =
                cases.transform(
                                name,
                                EventTypeInfo.INSTANCE,
                                new ShadowOperator(spec, stage, shadow, confinement))
                        .uid(name)
                        .setParallelism(stage.parallelism());
        diff.startNewChain();
        connectors.sink(
                diff,
                new OutputSpec(
                        0,
                        name,
                        "file://" + spec.logDir().resolve(ShadowSpec.diffFile(stage.tag()))));
    }

    /**
     * Whether a stage runs in a thread of its own rather than in its upstream stage's. Flink chains
     * a one-instance analyzer into the thread of the stage before it, which is fastest for stages
     * that compute (no hand-over between threads). An analyzer that calls Redis spends most of each
     * event waiting for a round trip, and one-at-a-time order forbids overlapping those waits; in
     * its own thread at least the reading, decoding and filtering of the next events go on during
     * them (measured in docs/performance.md). A keyed or rebalanced stage is apart anyway.
     */
    static boolean needsOwnThread(StageSpec stage) {
        return stage.kind() == StageKind.ANALYZER && stage.callsRedis();
    }

    /**
     * How events reach a stage's instances: by key (same key, same instance, in order) when it has
     * {@code key=}; round-robin when it only has {@code parallelism > 1}; otherwise as they come
     * (one instance, in order, as in the C engine).
     */
    private DataStream<Event> partition(DataStream<Event> in, StageSpec stage) {
        if (stage.key() != null) {
            return in.keyBy(
                    new EventKeySelector(stage.key(), spec.limits().maxNestingDepth()),
                    Types.STRING);
        }
        return stage.parallelism() > 1 ? in.rebalance() : in;
    }

    private void collectEdges(
            SingleOutputStreamOperator<Event> op,
            StageSpec stage,
            Map<String, List<DataStream<Event>>> intoAnalyzer,
            Map<String, List<DataStream<Event>>> intoOutput,
            Map<String, OutputTag<Event>> outputTags,
            OutputTag<Event> errors,
            OutputTag<Event> log,
            OutputTag<Event> stats) {
        for (String target : stage.analyzerRoutes()) {
            intoAnalyzer
                    .computeIfAbsent(target, t -> new ArrayList<>())
                    .add(op.getSideOutput(RouteTags.toAnalyzer(target)));
        }
        outputTags.forEach(
                (tag, outputTag) -> {
                    if (!tag.equals(PipelineSpec.ERRORS_TAG)) {
                        intoOutput.get(tag).add(op.getSideOutput(outputTag));
                    }
                });
        intoOutput.get(PipelineSpec.ERRORS_TAG).add(op.getSideOutput(errors));
        intoOutput.get(RouteTags.LOG_OUTPUT).add(op.getSideOutput(log));
        intoOutput.get(RouteTags.STATS_OUTPUT).add(op.getSideOutput(stats));
    }

    @SuppressWarnings("unchecked")
    private static DataStream<Event> union(List<DataStream<Event>> streams) {
        DataStream<Event> first = streams.get(0);
        return streams.size() == 1
                ? first
                : first.union(streams.subList(1, streams.size()).toArray(new DataStream[0]));
    }
}
