package org.dragonflymle.testing;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.dragonflymle.config.PipelineSpec;
import org.dragonflymle.config.StageKind;
import org.dragonflymle.config.StageSpec;
import org.dragonflymle.lua.ScriptSetupException;

/**
 * Runs one test through the pipeline in this thread. The stages reachable from the start stage are
 * started (top level, globals, {@code setup()}), in the order events flow; then each step is fed in
 * and everything it causes is processed before the next step: routed events breadth-first in the
 * order they were sent, then the timers that are due. The result is deterministic, which a test
 * needs; the engine itself promises order only per key.
 *
 * <p>Time is a {@link VirtualClock}: {@code tick(s)} and {@code advance} move it, firing due timers
 * in time order; a timer set by a firing timer fires in the same advance when it comes due within
 * it. A run that keeps firing timers without end stops after {@value #MAX_TIMER_FIRINGS} firings.
 */
final class PipelineRun implements AutoCloseable {

    static final int MAX_TIMER_FIRINGS = 100_000;

    private record Delivery(String tag, byte[] json, String origin) {}

    private final PipelineSpec spec;
    private final Map<String, StageInstance> stages = new LinkedHashMap<>();
    private final ArrayDeque<Delivery> queue = new ArrayDeque<>();
    private final VirtualClock clock = new VirtualClock();
    private final RunRecord record = new RunRecord();
    private String origin = "setup";
    private int firings;

    private final boolean compareShadows;

    PipelineRun(PipelineSpec spec) {
        this(spec, false);
    }

    /**
     * @param compareShadows whether each shadowed analyzer's shadow runs beside it and its
     *     differences are recorded ({@link RunRecord#shadowDiffs})
     */
    PipelineRun(PipelineSpec spec, boolean compareShadows) {
        this.spec = spec;
        this.compareShadows = compareShadows;
    }

    boolean comparesShadows() {
        return compareShadows;
    }

    /** A shadow did something else than its live version (a diff line), or could not start. */
    void shadowDiff(String tag, String line, String failure) {
        record.shadowDiff(
                "shadow of "
                        + tag
                        + (failure != null ? " did not start: " + failure : " differs on " + origin)
                        + (failure != null ? "" : ": " + line));
    }

    /** Starts the stages, feeds the test's steps, lets {@code advance} seconds pass. */
    RunRecord run(AnalyzerTest test) throws TestFileException {
        StageSpec start = stageSpec(test.start());
        for (StageSpec s : reachableFrom(start)) {
            StageInstance instance = new StageInstance(this, spec, s);
            stages.put(s.tag(), instance);
            try {
                instance.start();
            } catch (ScriptSetupException e) {
                record.setupFailed(s.describe() + ": " + e.getMessage());
                return record;
            }
        }
        StageInstance first = stages.get(start.tag());
        for (TestStep step : test.steps()) {
            if (step instanceof TestStep.Event e) {
                origin = e.origin();
                if (start.kind() == StageKind.ANALYZER) {
                    record.analyzer(start.tag(), new RunRecord.Emitted(e.bytes(), "test", origin));
                }
                first.acceptLine(e.bytes());
                drain();
                advance(0);
            } else if (step instanceof TestStep.Tick t) {
                advance(t.seconds());
            }
        }
        advance(test.advanceSeconds());
        for (StageInstance s : stages.values()) {
            record.stageState(s.stage().tag(), s.state(), s.metrics());
        }
        return record;
    }

    private void advance(double seconds) throws TestFileException {
        long until = clock.nowMillis() + Math.round(seconds * 1000);
        VirtualClock.Timer t;
        while ((t = clock.nextDue(until)) != null) {
            if (++firings > MAX_TIMER_FIRINGS) {
                throw new TestFileException(
                        "more than "
                                + MAX_TIMER_FIRINGS
                                + " timer_event firings: a timer that sets itself again with 0"
                                + " seconds never lets time pass");
            }
            origin = t.origin();
            StageInstance target = stages.get(t.tag());
            record.analyzer(t.tag(), new RunRecord.Emitted(t.json(), "timer", t.origin()));
            if (t.tag().equals(t.from())) {
                // as in the engine: a keyed stage's own timer fires under the key it was set with
                target.acceptTimer(t.json(), t.key());
            } else {
                target.acceptJson(t.json());
            }
            drain();
        }
        clock.moveTo(until);
    }

    private void drain() {
        Delivery d;
        while ((d = queue.poll()) != null) {
            origin = d.origin();
            stages.get(d.tag()).acceptJson(d.json());
        }
    }

    // ---- what stages send (called by StageInstance) ----

    void toAnalyzer(String from, String tag, byte[] json) {
        record.analyzer(tag, new RunRecord.Emitted(json, from, origin));
        queue.add(new Delivery(tag, json, origin));
    }

    void toOutput(String from, String tag, byte[] json) {
        record.output(tag, new RunRecord.Emitted(json, from, origin));
    }

    void toLog(String from, byte[] json) {
        record.log(new RunRecord.Emitted(json, from, origin));
    }

    void toStats(String from, byte[] json) {
        record.stats(new RunRecord.Emitted(json, from, origin));
    }

    void timer(String from, String tag, long delayMillis, byte[] json, String key) {
        String set =
                "timer_event(\""
                        + tag
                        + "\", "
                        + trim(delayMillis / 1000.0)
                        + ") from "
                        + from
                        + " at t="
                        + trim(clock.nowMillis() / 1000.0)
                        + "s during "
                        + origin;
        clock.schedule(delayMillis, tag, json, set, from, key);
    }

    void toErrors(String from, byte[] errorRecord) {
        record.output(PipelineSpec.ERRORS_TAG, new RunRecord.Emitted(errorRecord, from, origin));
    }

    private static String trim(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }

    private StageSpec stageSpec(String tag) {
        for (StageSpec s : spec.inputs()) {
            if (s.tag().equals(tag)) {
                return s;
            }
        }
        return spec.analyzer(tag).orElseThrow();
    }

    /** The start stage and every analyzer it can reach, start first, then breadth-first. */
    private List<StageSpec> reachableFrom(StageSpec start) {
        Set<String> seen = new LinkedHashSet<>();
        List<StageSpec> order = new ArrayList<>();
        ArrayDeque<StageSpec> todo = new ArrayDeque<>();
        todo.add(start);
        seen.add(start.tag());
        while (!todo.isEmpty()) {
            StageSpec s = todo.poll();
            order.add(s);
            for (String next : s.sortedAnalyzerRoutes()) {
                if (seen.add(next)) {
                    spec.analyzer(next).ifPresent(todo::add);
                }
            }
        }
        return order;
    }

    @Override
    public void close() {
        for (StageInstance s : stages.values()) {
            s.close();
        }
    }
}
